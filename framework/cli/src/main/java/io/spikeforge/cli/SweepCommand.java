package io.spikeforge.cli;

import io.spikeforge.runner.config.ConfigError;
import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.config.ConfigLocation;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.config.LauncherConfig;
import io.spikeforge.runner.pipeline.ExperimentPipeline;
import io.spikeforge.runner.pipeline.RunSetupException;
import io.spikeforge.runner.plugin.PluginHost;
import io.spikeforge.runner.report.ReportSettings;
import io.spikeforge.runner.sweep.Arm;
import io.spikeforge.runner.sweep.ArmCommand;
import io.spikeforge.runner.sweep.ArmState;
import io.spikeforge.runner.sweep.ArmStates;
import io.spikeforge.runner.sweep.LocalLauncher;
import io.spikeforge.runner.sweep.SlurmLauncher;
import io.spikeforge.runner.sweep.SlurmSettings;
import io.spikeforge.runner.sweep.Sweep;
import io.spikeforge.runner.sweep.SweepFile;
import io.spikeforge.runner.sweep.SweepFolder;
import io.spikeforge.runner.sweep.SweepLoader;
import io.spikeforge.runner.sweep.SweepTracking;
import io.spikeforge.tracking.RunIdsFile;
import io.spikeforge.tracking.RunStatus;
import io.spikeforge.tracking.RunTracker;
import io.spikeforge.tracking.TrackedRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code spikeforge sweep}: runs the arms of a study file, or of an experiment file with
 * {@code key=a,b,c} overrides, each as an ordinary run in one sweep folder; {@code --resume DIR}
 * continues one.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, subcommands = {SweepArmCommand.class, SweepStatusCommand.class,
        SweepResubmitCommand.class},
        description = {"Run a sweep: the arms of a study file (kind: study), or of an experiment file with "
                + "Hydra-style overrides, where key=a,b,c or key=range(1,4) is an axis of the grid and seed=1,2,3 "
                + "sweeps experiment.seed. Every arm's experiment is checked before anything runs.",
            "Writes a sweep folder under the base experiment's outputs.dir (<name>-sweep-<yyyyMMdd-HHmmss>): "
                    + "sweep.yaml, index.tsv, arms/NNN-name/ run folders, shared/ models trained once, local/ or "
                    + "slurm/ the launcher's files. In MLflow the sweep is a parent run, each arm a child run.",
            "local: runs the arms here and returns when they ended; Ctrl-C stops them after their current step, "
                    + "--resume DIR continues the sweep. slurm: submits the arms as a job array and returns; "
                    + "follow them with 'sweep status DIR', run failed ones again with 'sweep resubmit DIR --failed'."})
final class SweepCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final long STOP_GRACE_MINUTES = 10;

    @CommandLine.ParentCommand
    SpikeforgeCli root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "A study file (kind: study) or an experiment file.")
    Path file;

    @CommandLine.Parameters(index = "1..*", paramLabel = "KEY=VALUES",
            description = "Overrides: key=value applies to every arm; key=a,b,c, key=range(1,4) or "
                    + "key=range(0,1,0.25) is an axis of the grid; seed=1,2,3 sweeps experiment.seed. Values in "
                    + "brackets or quotes are single values: model.widths=[16,32,64].")
    List<String> overrides = new ArrayList<>();

    @CommandLine.Option(names = "--launcher", paramLabel = "NAME",
            description = "Where the arms run: local (default, or the study's launcher.name) or slurm.")
    String launcher;

    @CommandLine.Option(names = "--parallel", paramLabel = "N",
            description = "local: run N arms at once, the cores divided between them (default 1, or the study's "
                    + "launcher.parallel).")
    Integer parallel;

    @CommandLine.Option(names = "--dir", paramLabel = "DIR",
            description = "The sweep folder to create (it must not exist, or be empty), instead of one under "
                    + "outputs.dir.")
    Path dir;

    @CommandLine.Option(names = "--dry-run",
            description = "Check every arm's experiment and list the arms with their overrides; run and write nothing.")
    boolean dryRun;

    @CommandLine.Option(names = "--resume", paramLabel = "SWEEP_DIR",
            description = "Continue the sweep in this folder: finished arms are skipped, interrupted and failed "
                    + "ones resume from their checkpoints.")
    Path resume;

    @Override
    public Integer call() throws ConfigException, IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (parallel != null && parallel < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--parallel: expected at least 1, got "
                    + parallel);
        }
        if ((file == null) == (resume == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), file == null
                    ? "Missing required parameter: 'FILE' (or --resume SWEEP_DIR)"
                    : "give either FILE or --resume SWEEP_DIR, not both");
        }
        if (resume != null && (!overrides.isEmpty() || dir != null || dryRun)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resume continues the sweep as "
                    + "sweep.yaml records it: no overrides, --dir or --dry-run");
        }
        try (PluginHost host = PluginHostSupport.start(root, err)) {
            SweepLoader loader = new SweepLoader(host.registry());
            Sweep sweep;
            SweepFolder folder;
            Experiment first;
            if (resume != null) {
                Optional<String> notASweep = SweepFolder.whyNotASweepFolder(resume);
                if (notASweep.isPresent()) {
                    root.printError(err, "cannot resume " + resume + ": " + notASweep.get(), null);
                    return ExitCodes.RUN_FAILED;
                }
                folder = SweepFolder.at(resume.toAbsolutePath().normalize());
                sweep = SweepFile.read(folder);
                if (launcher != null || parallel != null) {
                    sweep = sweep.withLauncher(launcherConfig(sweep.launcher()));
                    SweepLoader.checkLauncher(sweep.launcher(), folder.sweepFile(), parallel != null,
                            warning -> err.println("warning: " + warning));
                }
                if (SlurmLauncher.wasSubmitted(folder)) {
                    root.printError(err, "cannot resume " + resume + " with --resume: it runs on SLURM; see its arms "
                            + "with: spikeforge sweep status " + resume + ", and run the failed ones again with: "
                            + "spikeforge sweep resubmit " + resume + " --failed", null);
                    return ExitCodes.USAGE;
                }
                if (sweep.launcher().name().equals(SlurmLauncher.NAME)) {
                    root.printError(err, "cannot resume " + resume + " on SLURM: --resume continues a local sweep "
                            + "here; leave out --launcher slurm", null);
                    return ExitCodes.USAGE;
                }
                first = loader.armExperiment(sweep, sweep.arm(0), warning -> { });
            } else {
                SweepLoader.Defined defined = loader.define(file, overrides, Path.of(""), Optional.ofNullable(launcher),
                        Optional.ofNullable(parallel), warning -> err.println("warning: " + warning));
                sweep = defined.sweep();
                first = defined.experiments().get(0);
                try {
                    ReportSettings.fromSection(sweep.report());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(List.of(ConfigError.ofKeyedMessage(ConfigLocation.InFile.wholeFile(file),
                            e.getMessage(), "report")));
                }
                if (dryRun) {
                    for (Arm arm : sweep.arms()) {
                        out.println(String.format(Locale.ROOT, "arm %3d  %s", arm.index(), arm.name()));
                        out.println("         " + String.join(" ", arm.overrideArguments()));
                    }
                    out.println(sweep.arms().size() + " arm(s) of " + sweep.name() + ", launcher "
                            + sweep.launcher().name() + ": valid");
                    out.flush();
                    return ExitCodes.OK;
                }
                Optional<SweepFolder> created = create(first, sweep, err);
                if (created.isEmpty()) {
                    return ExitCodes.RUN_FAILED;
                }
                folder = created.get();
                SweepFile.write(folder, sweep, defined.resolvedBase(), Instant.now().toString());
                ArmStates.refresh(folder, sweep, Optional.empty());
            }
            err.println("sweep " + folder.root() + ": " + sweep.arms().size() + " arm(s)");
            err.flush();
            try {
                // arms started at once would each generate a missing synthetic set in the same folder
                ExperimentPipeline.prepareSyntheticData(first, new RunProgress(err));
            } catch (RunSetupException e) {
                root.printError(err, e.getMessage(), e);
                return ExitCodes.RUN_FAILED;
            }
            return launch(sweep, folder, first, out, err);
        }
    }

    private LauncherConfig launcherConfig(LauncherConfig recorded) {
        LauncherConfig config = recorded;
        try {
            if (launcher != null) {
                config = config.withName(launcher);
            }
            if (parallel != null) {
                config = config.withParallel(parallel);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        return config;
    }

    /** The sweep folder: --dir, else a new one under the first arm's outputs.dir; empty after an error. */
    private Optional<SweepFolder> create(Experiment first, Sweep sweep, PrintWriter err) throws IOException {
        if (dir != null) {
            if (Files.exists(dir)) {
                boolean empty;
                try (var entries = Files.list(dir)) {
                    empty = Files.isDirectory(dir) && entries.findAny().isEmpty();
                } catch (IOException e) {
                    empty = false;
                }
                if (!empty) {
                    root.printError(err, "--dir " + dir + ": exists and is not an empty folder"
                            + (SweepFolder.whyNotASweepFolder(dir).isEmpty() ? " (a sweep: continue it with --resume "
                            + dir + ")" : ""), null);
                    return Optional.empty();
                }
            }
            Files.createDirectories(dir);
            return Optional.of(SweepFolder.at(dir.toAbsolutePath().normalize()));
        }
        Path outputs = first.outputs().dir();
        Files.createDirectories(outputs);
        String base = sweep.name() + "-sweep-" + LocalDateTime.now().format(STAMP);
        for (int n = 1; ; n++) {
            Path candidate = outputs.resolve(n == 1 ? base : base + "-" + n);
            try {
                return Optional.of(SweepFolder.at(Files.createDirectory(candidate).toAbsolutePath().normalize()));
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // another sweep started in the same second
            }
        }
    }

    private int launch(Sweep sweep, SweepFolder folder, Experiment first, PrintWriter out, PrintWriter err)
            throws ConfigException, IOException, InterruptedException {
        List<Arm> toRun = new ArrayList<>();
        for (Arm arm : sweep.arms()) {
            if (ArmStates.ofRunFolder(folder.armFolder(arm)).needsRun()) {
                toRun.add(arm);
            }
        }
        int done = sweep.arms().size() - toRun.size();
        if (done > 0) {
            err.println(done + " arm(s) finished already; running " + toRun.size());
        }
        ArmCommand command = ArmCommand.ofThisDistribution();
        if (sweep.launcher().name().equals(SlurmLauncher.NAME)) {
            return submit(sweep, folder, first, toRun, command, out, err);
        }
        AtomicInteger ended = new AtomicInteger(done);
        AtomicInteger failed = new AtomicInteger();
        try (RunTracker tracker = ExperimentRun.openTracker(first, sweep.source());
             ProgressBar bar = ProgressBars.create("sweep", sweep.arms().size(), " arms", ChronoUnit.HOURS, err)) {
            bar.stepTo(done);
            // a resumed sweep keeps its parent run: the arms that ran before and those run now are its children
            Optional<RunIdsFile.Entry> reopened = resume != null
                    ? SweepTracking.reopenParent(tracker, folder, err::println) : Optional.empty();
            Optional<TrackedRun> started = reopened.isPresent() ? Optional.empty()
                    : Optional.of(SweepTracking.startParent(tracker, first.tracking().experiment(), folder, sweep));
            LocalLauncher[] holder = new LocalLauncher[1];
            LocalLauncher local = new LocalLauncher(sweep.workingDirectory(), sweep.launcher().parallel(),
                    Runtime.getRuntime().availableProcessors(), new LocalLauncher.Listener() {
                        @Override
                        public void armEnded(Arm arm, ArmState state, int exitCode) {
                            bar.stepTo(ended.incrementAndGet());
                            if (state != ArmState.FINISHED && !holder[0].isStopped()) {
                                failed.incrementAndGet();
                            }
                            bar.setExtraMessage(failed.get() == 0 ? "" : failed.get() + " failed");
                            try {
                                ArmStates.refresh(folder, sweep, Optional.of(holder[0]));
                            } catch (IOException e) {
                                err.println("warning: cannot update " + folder.indexFile() + ": " + e.getMessage());
                            }
                        }
                    });
            holder[0] = local;
            CountDownLatch finished = new CountDownLatch(1);
            Thread onCtrlC = new Thread(() -> {
                err.println();
                err.println("stopping the arms after their current step; continue with: spikeforge sweep --resume "
                        + folder.root());
                err.flush();
                try {
                    local.stop();
                    finished.await(STOP_GRACE_MINUTES, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "spikeforge-sweep-stop");
            Runtime.getRuntime().addShutdownHook(onCtrlC);
            List<SweepFolder.IndexRow> rows;
            try {
                local.launch(folder, toRun, command);
                rows = ArmStates.refresh(folder, sweep, Optional.of(local));
                RunStatus status = local.isStopped() ? RunStatus.INTERRUPTED
                        : rows.stream().allMatch(r -> r.state() == ArmState.FINISHED) ? RunStatus.FINISHED
                        : RunStatus.FAILED;
                if (started.isPresent()) {
                    started.get().end(status, Optional.empty());
                } else {
                    SweepTracking.setParentStatus(folder, status, err::println);
                }
                tracker.finish().problems().forEach(problem -> err.println("MLflow: " + problem));
                summary(rows, folder, out);
                return switch (status) {
                    case FINISHED -> ExitCodes.OK;
                    case INTERRUPTED -> ExitCodes.INTERRUPTED;
                    default -> ExitCodes.RUN_FAILED;
                };
            } finally {
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(onCtrlC);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs (Ctrl-C) and returns now
                }
            }
        }
    }

    /**
     * Submits the arms to SLURM and returns: the MLflow parent run stays RUNNING until the arm that
     * ends last (or {@code sweep status}) ends it. The parent is written, and released to the arms,
     * before anything is submitted. When {@code sbatch} refuses the job, the arms are unsubmitted
     * and the parent FAILED.
     */
    private int submit(Sweep sweep, SweepFolder folder, Experiment first, List<Arm> toRun, ArmCommand command,
                       PrintWriter out, PrintWriter err) throws ConfigException, IOException, InterruptedException {
        SlurmLauncher slurm = new SlurmLauncher(SlurmSettings.of(sweep.launcher()), sweep.workingDirectory());
        try (RunTracker tracker = ExperimentRun.openTracker(first, sweep.source())) {
            TrackedRun parent = SweepTracking.startParent(tracker, first.tracking().experiment(), folder, sweep);
            tracker.leaveRunning(parent);
            tracker.finish().problems().forEach(problem -> err.println("MLflow: " + problem));
        }
        String job;
        try {
            job = slurm.submit(folder, toRun, command);
        } catch (IOException e) {
            Set<Integer> refused = toRun.stream().map(Arm::index).collect(Collectors.toSet());
            folder.writeIndex(folder.readIndex().stream().map(row -> refused.contains(row.arm().index())
                    ? new SweepFolder.IndexRow(row.arm(), ArmState.UNSUBMITTED) : row).toList());
            SweepTracking.setParentStatus(folder, RunStatus.FAILED, err::println);
            root.printError(err, e.getMessage() + "\nNo arm was submitted; once the cause is fixed, submit them with: "
                    + "spikeforge sweep resubmit " + folder.root() + " --failed", null);
            return ExitCodes.RUN_FAILED;
        }
        Set<Integer> submitted = toRun.stream().map(Arm::index).collect(Collectors.toSet());
        List<SweepFolder.IndexRow> rows = new ArrayList<>();
        for (SweepFolder.IndexRow row : folder.readIndex()) {
            rows.add(submitted.contains(row.arm().index()) ? new SweepFolder.IndexRow(row.arm(), ArmState.QUEUED) : row);
        }
        folder.writeIndex(rows);
        out.println("submitted " + toRun.size() + " arm(s) as SLURM job " + job);
        out.println("status   spikeforge sweep status " + folder.root());
        out.println("sweep    " + folder.root());
        out.flush();
        return ExitCodes.OK;
    }

    private static void summary(List<SweepFolder.IndexRow> rows, SweepFolder folder, PrintWriter out) {
        for (SweepFolder.IndexRow row : rows) {
            out.println(String.format(Locale.ROOT, "arm %3d  %-11s %s", row.arm().index(), row.state().word(),
                    row.arm().name()));
        }
        long finished = rows.stream().filter(r -> r.state() == ArmState.FINISHED).count();
        out.println("finished " + finished + " of " + rows.size());
        out.println("sweep    " + folder.root());
        out.flush();
    }
}
