package io.spikeforge.cli;

import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.config.ExperimentLoader;
import io.spikeforge.runner.pipeline.RunFolder;
import io.spikeforge.runner.pipeline.RunInfo;
import io.spikeforge.runner.pipeline.RunListener;
import io.spikeforge.runner.plugin.PluginHost;
import io.spikeforge.runner.sweep.Arm;
import io.spikeforge.runner.sweep.ArmState;
import io.spikeforge.runner.sweep.ArmStates;
import io.spikeforge.runner.sweep.SharedModel;
import io.spikeforge.runner.sweep.SlurmLauncher;
import io.spikeforge.runner.sweep.SlurmSweep;
import io.spikeforge.runner.sweep.Sweep;
import io.spikeforge.runner.sweep.SweepFile;
import io.spikeforge.runner.sweep.SweepFolder;
import io.spikeforge.runner.sweep.SweepLoader;
import io.spikeforge.runner.sweep.SweepTracking;
import io.spikeforge.common.AtomicFiles;
import io.spikeforge.tracking.RunStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code spikeforge sweep arm DIR INDEX}: runs one arm of a sweep in this process, as every launcher
 * does in each arm's process. The run folder is the arm's ({@link SweepFolder#armFolder}); a folder
 * that exists is resumed from its checkpoints, a finished one left alone. A shared model
 * ({@link SharedModel}) is loaded when another arm published it, else trained here and published.
 */
@Command(name = "arm", mixinStandardHelpOptions = true, hidden = true,
        description = "Run one arm of a sweep in this process (what each launcher runs): its run folder is the "
                + "arm's in the sweep folder; an unfinished one is resumed, a finished one left alone.")
final class SweepArmCommand implements Callable<Integer> {
    /** SLURM's environment variable in an array task: the array job's id. */
    private static final String SLURM_ARRAY_JOB = "SLURM_ARRAY_JOB_ID";

    @CommandLine.ParentCommand
    SweepCommand sweepCommand;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(index = "0", paramLabel = "SWEEP_DIR", description = "The sweep folder.")
    Path dir;

    @CommandLine.Parameters(index = "1", paramLabel = "INDEX", description = "The arm's index, from 0.")
    int index;

    @Override
    public Integer call() throws ConfigException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SpikeforgeCli root = sweepCommand.root;
        Optional<String> notASweep = SweepFolder.whyNotASweepFolder(dir);
        if (notASweep.isPresent()) {
            root.printError(err, "cannot run an arm of " + dir + ": " + notASweep.get(), null);
            return ExitCodes.RUN_FAILED;
        }
        SweepFolder folder = SweepFolder.at(dir.toAbsolutePath().normalize());
        Sweep sweep = SweepFile.read(folder);
        if (index < 0 || index >= sweep.arms().size()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "INDEX: the sweep in " + dir + " has arms 0 to "
                    + (sweep.arms().size() - 1) + ", not " + index);
        }
        Path here = Path.of("").toAbsolutePath().normalize();
        if (!sameFolder(here, sweep.workingDirectory())) {
            root.printError(err, "arm " + index + " must run in the sweep's working directory "
                    + sweep.workingDirectory() + " (its experiment's relative paths resolve there), not in " + here,
                    null);
            return ExitCodes.RUN_FAILED;
        }
        Arm arm = sweep.arm(index);
        try {
            return runArm(root, folder, sweep, arm, out, err);
        } finally {
            endOnCluster(folder, sweep, arm, err);
        }
    }

    /**
     * In an array job of a SLURM sweep: records that the arm ended, and when it is the last arm to
     * end, ends the sweep's MLflow parent run, under the sweep folder's lock. A problem is a warning:
     * {@code sweep status} settles the parent as well.
     */
    private static void endOnCluster(SweepFolder folder, Sweep sweep, Arm arm, PrintWriter err) {
        String job = System.getenv(SLURM_ARRAY_JOB);
        if (job == null || job.isBlank() || !SlurmLauncher.wasSubmitted(folder)) {
            return;
        }
        try {
            ArmState state = ArmStates.ofRunFolder(folder.armFolder(arm));
            ArmState ended = state == ArmState.FINISHED || state == ArmState.INTERRUPTED ? state : ArmState.FAILED;
            folder.locked(() -> {
                Optional<RunStatus> last = SlurmSweep.armEnded(folder, sweep.arms(), arm, job.strip(), ended);
                if (last.isPresent()) {
                    SweepTracking.setParentStatus(folder, last.get(), err::println);
                }
                return last;
            });
        } catch (IOException | RuntimeException e) {
            err.println("warning: cannot record the end of arm " + arm.index() + " in " + folder.root() + ": " + e);
        }
        err.flush();
    }

    private static int runArm(SpikeforgeCli root, SweepFolder folder, Sweep sweep, Arm arm, PrintWriter out,
                              PrintWriter err) throws ConfigException, IOException {
        int index = arm.index();
        Path runFolder = folder.armFolder(arm);
        ArmState state = ArmStates.ofRunFolder(runFolder);
        if (state == ArmState.FINISHED) {
            out.println("arm " + index + " '" + arm.name() + "' finished already: " + runFolder);
            out.flush();
            return ExitCodes.OK;
        }
        err.println("arm " + index + " of " + sweep.arms().size() + ": " + arm.name());
        err.flush();
        try (PluginHost host = PluginHostSupport.start(root, err)) {
            Map<String, String> tags = new LinkedHashMap<>(SweepTracking.childTags(arm));
            Optional<String> parent = SweepTracking.parentRunId(folder);
            if (Files.exists(runFolder)) {
                return resume(root, host, folder, arm, runFolder, parent, tags, out, err);
            }
            SweepLoader loader = new SweepLoader(host.registry());
            Experiment experiment = loader.armExperiment(sweep, arm, warning -> err.println("warning: " + warning));
            Optional<SharedModel> shared = SharedModel.of(experiment, host.hostInfo().spikeforgeVersion());
            if (shared.isEmpty()) {
                return new ExperimentRun(root, host, experiment, sweep.experiment()).runFolder(runFolder)
                        .childOf(parent, tags, SweepTracking.childParams(arm)).run(out, err);
            }
            return runSharing(root, host, loader, sweep, folder, arm, experiment, shared.get(), parent, tags, out,
                    err);
        }
    }

    /**
     * Runs the arm with its shared model: loaded when published; else trained here, under the
     * model's lock, and published as soon as its training ends.
     */
    private static int runSharing(SpikeforgeCli root, PluginHost host, SweepLoader loader, Sweep sweep,
                                  SweepFolder folder, Arm arm, Experiment experiment, SharedModel shared,
                                  Optional<String> parent, Map<String, String> tags, PrintWriter out,
                                  PrintWriter err) throws ConfigException, IOException {
        Path runFolder = folder.armFolder(arm);
        String self = "arm " + arm.index() + " '" + arm.name() + "' (" + folder.root().relativize(runFolder) + ")";
        if (!shared.published(folder)) {
            err.println("waiting for the shared " + shared.model() + " " + shared.id() + " (or training it)");
            err.flush();
        }
        FileLock lock = shared.lock(folder);
        boolean held = true;
        try {
            tags.put(SharedModel.TAG, shared.id());
            if (shared.published(folder)) {
                SharedModel.release(lock);
                held = false;
                String origin = shared.origin(folder).orElse("unknown");
                tags.put(SharedModel.TRAINED_BY_TAG, origin);
                Experiment loading = loader.armExperiment(sweep, new Arm(arm.index(), arm.name(),
                        withWeights(arm, shared.weightsKey(), shared.weights(folder).toString())), w -> { });
                err.println("the " + shared.model() + " is shared: loading " + shared.weights(folder) + ", trained by "
                        + origin);
                err.flush();
                return new ExperimentRun(root, host, loading, sweep.experiment()).runFolder(runFolder)
                        .childOf(parent, tags, SweepTracking.childParams(arm))
                        .listener(usedFile(shared, shared.weights(folder), "loaded, trained by " + origin))
                        .run(out, err);
            }
            tags.put(SharedModel.TRAINED_BY_TAG, self);
            FileLock trainingLock = lock;
            boolean[] released = {false};
            RunListener publisher = new RunListener() {
                @Override
                public void onModelTrained(String model, Path weights) {
                    if (!model.equals(shared.model()) || released[0]) {
                        return;
                    }
                    try {
                        shared.publish(folder, weights, self);
                        SharedModel.release(trainingLock);
                        released[0] = true;
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot publish the shared " + model + " in "
                                + shared.folder(folder), e);
                    }
                }
            };
            int code = new ExperimentRun(root, host, experiment, sweep.experiment()).runFolder(runFolder)
                    .childOf(parent, tags, SweepTracking.childParams(arm))
                    .listener(usedFile(shared, shared.weights(folder), "trained in this run and published"))
                    .listener(publisher).run(out, err);
            held = !released[0];
            return code;
        } finally {
            if (held) {
                SharedModel.release(lock);
            }
        }
    }

    private static Map<String, String> withWeights(Arm arm, String key, String weights) {
        Map<String, String> overrides = new LinkedHashMap<>(arm.overrides());
        overrides.put(key, weights);
        return overrides;
    }

    /** Writes {@value SharedModel#USED_FILE} in the run folder once it exists. */
    private static RunListener usedFile(SharedModel shared, Path weights, String how) {
        return new RunListener() {
            @Override
            public void onRunStart(RunInfo run) {
                String text = "model: " + shared.id() + "\nrole: " + shared.model() + "\nweights: " + weights
                        + "\nhow: " + how + "\n";
                try {
                    AtomicFiles.write(run.folder().resolve(SharedModel.USED_FILE), text.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /** Continues an arm whose run folder exists, with the configuration recorded there. */
    private static int resume(SpikeforgeCli root, PluginHost host, SweepFolder folder, Arm arm, Path runFolder,
                              Optional<String> parent, Map<String, String> tags, PrintWriter out, PrintWriter err)
            throws ConfigException {
        Optional<String> notARun = RunFolder.whyNotARunFolder(runFolder);
        if (notARun.isPresent()) {
            root.printError(err, "cannot resume arm " + arm.index() + " in " + runFolder + ": " + notARun.get(), null);
            return ExitCodes.RUN_FAILED;
        }
        Path config = runFolder.resolve(RunFolder.CONFIG);
        Experiment recorded = new ExperimentLoader(host.registry()).loadRecorded(config,
                warning -> err.println("warning: " + warning));
        ExperimentRun run = new ExperimentRun(root, host, recorded, config).resume(runFolder)
                .childOf(parent, tags, SweepTracking.childParams(arm));
        // an arm stopped while it trained the shared model publishes it when the training ends
        SharedModel.of(recorded, host.hostInfo().spikeforgeVersion()).ifPresent(shared -> run.listener(new RunListener() {
            @Override
            public void onModelTrained(String model, Path weights) {
                if (model.equals(shared.model())) {
                    try {
                        shared.publish(folder, weights, "arm " + arm.index() + " '" + arm.name() + "' ("
                                + folder.root().relativize(runFolder) + ")");
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot publish the shared " + model + " in "
                                + shared.folder(folder), e);
                    }
                }
            }
        }));
        return run.run(out, err);
    }

    private static boolean sameFolder(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (IOException e) {
            return a.equals(b);
        }
    }
}
