package io.spikeforge.runner.sweep;

import io.spikeforge.common.AtomicFiles;
import io.spikeforge.runner.sweep.SlurmSubmissions.Submission;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Submits a sweep's arms to a SLURM cluster as one job array per submission, the array task's index
 * being the arm's index ({@code sbatch --parsable --array=0-7%2 slurm/job.sh}; arms 3 and 7 alone are
 * {@code --array=3,7}). Each task runs {@link ArmCommand} for its arm on a compute node, so the
 * sweep folder and Spikeforge's distribution must be on a file system the nodes share.
 *
 * <p>Its files, in the sweep's {@code slurm/} folder: {@code job.sh} (the job script, from the
 * {@link SlurmSettings}), {@code settings.tsv} (the settings, for resubmissions),
 * {@code submissions.tsv} (job id, arms, time of each {@code sbatch}) and each task's output,
 * {@code arm-NNN.job-JOB.out} and {@code .err}.
 *
 * <p>Where an arm stands comes from the queue ({@code squeue}) while its job is there, then from
 * what SLURM still says of the job ({@code scontrol}, or {@code sacct} where the cluster keeps
 * accounting, or the job's error file: SLURM writes a {@code CANCELLED} line there) together with
 * the arm's run folder {@code status}.
 */
public final class SlurmLauncher implements Launcher {
    /** The launcher's name, and the name of its folder in the sweep folder. */
    public static final String NAME = "slurm";
    static final String JOB_SCRIPT = "job.sh";
    private static final String SCRIPT_MARKER = "# Written by Spikeforge's SLURM launcher";
    private static final String TASK_ID = "$SLURM_ARRAY_TASK_ID";
    private static final String EXIT_LINE = "spikeforge-slurm: arm exited with status ";
    private static final Set<String> QUEUED = Set.of("PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED",
            "RESV_DEL_HOLD");
    private static final Set<String> RUNNING = Set.of("RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED", "STOPPED",
            "SIGNALING", "STAGE_OUT", "RESIZING");
    private static final Set<String> CANCELLED = Set.of("CANCELLED", "TIMEOUT", "DEADLINE", "PREEMPTED");

    private static final String CHDIR = "#SBATCH --chdir=";

    private final SlurmSettings settings;
    private final Path workingDirectory;

    /**
     * A launcher that submits with these settings; each arm's job runs in {@code workingDirectory}
     * (the sweep's, {@link Sweep#workingDirectory()}, where its experiment's relative paths resolve).
     */
    public SlurmLauncher(SlurmSettings settings, Path workingDirectory) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
    }

    /**
     * The launcher with the settings of the sweep's earlier submissions, to resubmit arms as they
     * were submitted.
     *
     * @throws IOException if the sweep was never submitted to SLURM (the message names the file)
     */
    public static SlurmLauncher ofSubmittedSweep(SweepFolder sweep) throws IOException {
        Path file = folder(sweep).resolve(SlurmSettings.FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(sweep.root() + " was not submitted to SLURM: it has no " + sweep.root().relativize(file));
        }
        Path script = jobScript(sweep);
        Optional<Path> workingDirectory = Files.isRegularFile(script) ? Files.readAllLines(script, StandardCharsets.UTF_8)
                .stream().filter(line -> line.startsWith(CHDIR)).findFirst()
                .map(line -> Path.of(line.substring(CHDIR.length()))) : Optional.empty();
        return new SlurmLauncher(SlurmSettings.read(file), workingDirectory.orElseThrow(() -> new IOException(script
                + " is missing or names no working directory (" + CHDIR + "): the sweep was not submitted by Spikeforge")));
    }

    /** Whether the sweep in {@code sweep} was submitted to SLURM: it has this launcher's settings. */
    public static boolean wasSubmitted(SweepFolder sweep) {
        return Files.isRegularFile(folder(sweep).resolve(SlurmSettings.FILE));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** What each arm's job asks the cluster for. */
    public SlurmSettings settings() {
        return settings;
    }

    /** The job script that runs one arm per array task. */
    public static Path jobScript(SweepFolder sweep) {
        return folder(sweep).resolve(JOB_SCRIPT);
    }

    /**
     * Writes the job script and the settings, then submits the arms as one job array and records
     * the submission; returns once {@code sbatch} accepted it.
     *
     * @throws IOException if {@code sbatch} is missing or refuses the job (the message names the
     *     command, the job script and what SLURM said)
     */
    @Override
    public void launch(SweepFolder sweep, List<Arm> arms, ArmCommand command) throws IOException, InterruptedException {
        submit(sweep, arms, command);
    }

    /** {@link #launch}, returning the array job's id. */
    public String submit(SweepFolder sweep, List<Arm> arms, ArmCommand command)
            throws IOException, InterruptedException {
        if (arms.isEmpty()) {
            throw new IllegalArgumentException("no arms to submit");
        }
        Path script = writeJobScript(sweep, command);
        settings.write(folder(sweep).resolve(SlurmSettings.FILE));
        TreeSet<Integer> indices = arms.stream().map(Arm::index).collect(Collectors.toCollection(TreeSet::new));
        String array = indices.stream().map(String::valueOf).collect(Collectors.joining(","))
                + (settings.maxParallel() > 0 ? "%" + settings.maxParallel() : "");
        SlurmCommands.Result result;
        try {
            result = SlurmCommands.run(List.of("sbatch", "--parsable", "--array=" + array, script.toString()));
        } catch (IOException e) {
            throw new IOException("cannot submit the job script " + script + ": " + e.getMessage(), e);
        }
        if (!result.succeeded()) {
            throw new IOException("SLURM refused the job script " + script + ": " + result.describeFailure());
        }
        // --parsable prints "id" or "id;cluster"
        String job = result.out().strip().split(";", 2)[0];
        if (!job.matches("\\d+")) {
            throw new IOException("'" + String.join(" ", result.command()) + "' printed '" + result.out().strip()
                    + "', expected the job id");
        }
        new SlurmSubmissions(folder(sweep).resolve(SlurmSubmissions.FILE))
                .append(new Submission(job, List.copyOf(indices), Instant.now()));
        return job;
    }

    /**
     * Writes {@code slurm/job.sh}, replacing only a job script this launcher wrote.
     *
     * @throws IOException if another file is in its place, or the sweep folder's path cannot be
     *     written into {@code #SBATCH} lines
     */
    Path writeJobScript(SweepFolder sweep, ArmCommand command) throws IOException {
        Path root = sweep.root().toAbsolutePath().normalize();
        for (Path path : List.of(root, workingDirectory)) {
            if (!path.toString().matches("[^\\s%'\"\\\\]+")) {
                throw new IOException((path == root ? "the sweep folder " : "the sweep's working directory ") + path
                        + " has a space, quote, backslash or '%' in its path, which #SBATCH lines cannot hold: use a "
                        + "folder without them for a SLURM sweep");
            }
        }
        Path folder = folder(sweep);
        Files.createDirectories(folder);
        Path script = folder.resolve(JOB_SCRIPT);
        if (Files.exists(script) && !Files.readString(script, StandardCharsets.UTF_8).lines().skip(1).findFirst()
                .orElse("").startsWith(SCRIPT_MARKER)) {
            throw new IOException(script + " exists and was not written by Spikeforge; it is left as it is");
        }
        Path logs = root.resolve(sweep.root().relativize(folder));
        List<String> lines = new ArrayList<>();
        lines.add("#!/bin/bash");
        lines.add(SCRIPT_MARKER + ": one array task per arm of the sweep in " + root + ",");
        lines.add("# the task's index the arm's index. Submitted as: sbatch --parsable --array=ARMS[%MAX] " + script);
        lines.add("#SBATCH --job-name=spikeforge-" + root.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_"));
        lines.add(CHDIR + workingDirectory);
        lines.add("#SBATCH --output=" + logs.resolve("arm-%3a.job-%A.out"));
        lines.add("#SBATCH --error=" + logs.resolve("arm-%3a.job-%A.err"));
        settings.sbatchOptions().forEach(option -> lines.add("#SBATCH " + option));
        lines.add("export OMP_NUM_THREADS=" + settings.cpusPerTask());
        lines.add(command.forArm(root, TASK_ID).stream()
                .map(argument -> argument.equals(TASK_ID) ? "\"" + TASK_ID + "\"" : shellQuoted(argument))
                .collect(Collectors.joining(" ")));
        lines.add("status=$?");
        // the exit, where the job's output keeps it after SLURM forgot the job
        lines.add("echo \"" + EXIT_LINE + "$status\" >&2");
        lines.add("exit $status");
        AtomicFiles.write(script, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        script.toFile().setExecutable(true);
        return script;
    }

    @Override
    public Optional<ArmState> state(SweepFolder sweep, Arm arm) throws IOException {
        ArmReport report = inspect(sweep, List.of(arm)).get(0);
        return report.job().isPresent() ? Optional.of(report.state()) : Optional.empty();
    }

    /**
     * Where each arm stands: from its latest job while SLURM has it in the queue, then from what
     * SLURM says of the ended job together with the arm's run folder; an arm never submitted stands
     * where its run folder says (or {@link ArmState#UNSUBMITTED} without one).
     *
     * @throws IOException if the queue cannot be read (no {@code squeue}, no controller), or the
     *     sweep's submission record is damaged
     */
    public List<ArmReport> inspect(SweepFolder sweep, List<Arm> arms) throws IOException {
        try {
            List<Submission> submissions = new SlurmSubmissions(folder(sweep).resolve(SlurmSubmissions.FILE)).read();
            Map<Integer, Submission> jobs = new HashMap<>();
            for (Arm arm : arms) {
                SlurmSubmissions.latestFor(submissions, arm.index()).ifPresent(job -> jobs.put(arm.index(), job));
            }
            Map<String, String> queue = queue(jobs.values().stream().map(Submission::job).distinct().toList());
            List<ArmReport> reports = new ArrayList<>();
            for (Arm arm : arms) {
                Submission job = jobs.get(arm.index());
                reports.add(job == null ? unsubmitted(sweep, arm) : inspect(sweep, arm, job, queue));
            }
            return reports;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while asking SLURM");
        }
    }

    /**
     * An arm without a submission: where its run folder says, or, without one, never submitted
     * (every arm of a SLURM sweep is submitted when the sweep starts, so sbatch refused it).
     */
    private static ArmReport unsubmitted(SweepFolder sweep, Arm arm) throws IOException {
        ArmReport folder = ArmStates.reportOfRunFolder(sweep, arm);
        if (folder.state() != ArmState.PENDING) {
            return folder;
        }
        return new ArmReport(arm, ArmState.UNSUBMITTED, Optional.empty(), folder.runFolder(),
                Optional.of("never submitted: sbatch refused the submission"));
    }

    private ArmReport inspect(SweepFolder sweep, Arm arm, Submission submission, Map<String, String> queue)
            throws IOException, InterruptedException {
        String task = submission.taskOf(arm.index());
        Path runFolder = sweep.armFolder(arm);
        String queued = queue.get(task);
        if (queued != null && QUEUED.contains(queued)) {
            return new ArmReport(arm, ArmState.QUEUED, Optional.of(task), runFolder, Optional.empty());
        }
        if (queued != null && RUNNING.contains(queued)) {
            return new ArmReport(arm, ArmState.RUNNING, Optional.of(task), runFolder, Optional.empty());
        }
        Path errFile = outputFile(sweep, arm, submission.job(), "err");
        List<String> errLines = Files.isRegularFile(errFile)
                ? Files.readAllLines(errFile, StandardCharsets.UTF_8) : List.of();
        Optional<String> slurmState = queued != null ? Optional.of(queued) : endedState(task);
        Optional<String> cancelLine = errLines.stream().filter(line -> line.contains("*** JOB ")
                && line.contains(" CANCELLED AT ")).reduce((first, second) -> second);
        ArmState run = ArmStates.ofRunFolder(runFolder);
        String slurmSaid = slurmState.map(word -> " (SLURM: " + word + ")").orElse("");
        if (run == ArmState.FINISHED) {
            return report(arm, ArmState.FINISHED, task, runFolder, null);
        }
        if (cancelLine.isPresent() || slurmState.filter(CANCELLED::contains).isPresent()) {
            return report(arm, ArmState.CANCELLED, task, runFolder, cancelLine.map(String::strip)
                    .orElse("job " + task + " ended" + slurmSaid));
        }
        if (run == ArmState.INTERRUPTED) {
            return report(arm, ArmState.INTERRUPTED, task, runFolder, null);
        }
        if (run == ArmState.FAILED) {
            return report(arm, ArmState.FAILED, task, runFolder, ArmStates.errorOfRunFolder(runFolder).orElse(lastErrorLine(errLines)
                    .orElse("the run folder says failed")));
        }
        if (run == ArmState.PENDING && errLines.isEmpty() && slurmState.isEmpty()
                && !Files.exists(outputFile(sweep, arm, submission.job(), "out"))) {
            // SLURM forgets a task cancelled while it waited at once, and leaves no output behind
            return report(arm, ArmState.CANCELLED, task, runFolder, "job " + task
                    + " left the queue without starting and without output: cancelled while queued");
        }
        String ending = run == ArmState.PENDING ? "job " + task + " ended without starting the arm's run" + slurmSaid
                : "job " + task + " ended while the run folder said " + run.word() + slurmSaid;
        return report(arm, ArmState.FAILED, task, runFolder,
                lastErrorLine(errLines).map(line -> ending + ": " + line).orElse(ending));
    }

    private static ArmReport report(Arm arm, ArmState state, String task, Path runFolder, String error) {
        return new ArmReport(arm, state, Optional.of(task), runFolder, Optional.ofNullable(error));
    }

    /** The last line of the job's error output that says something, before the launcher's own exit line if any other. */
    private static Optional<String> lastErrorLine(List<String> errLines) {
        Optional<String> exit = Optional.empty();
        for (int i = errLines.size() - 1; i >= 0; i--) {
            String line = errLines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith(EXIT_LINE)) {
                exit = exit.or(() -> Optional.of(line));
                continue;
            }
            return Optional.of(line);
        }
        return exit;
    }

    /**
     * The state SLURM gives an ended task: {@code scontrol} while the controller keeps it (some
     * minutes, its {@code MinJobAge}), then {@code sacct} where the cluster keeps accounting.
     */
    private static Optional<String> endedState(String task) throws IOException, InterruptedException {
        SlurmCommands.Result shown = SlurmCommands.run(List.of("scontrol", "-o", "show", "job", task));
        if (shown.succeeded()) {
            for (String field : shown.out().strip().split("\\s+")) {
                if (field.startsWith("JobState=")) {
                    return Optional.of(field.substring("JobState=".length()));
                }
            }
        }
        SlurmCommands.Result accounted = SlurmCommands.run(List.of("sacct", "-n", "-X", "-P", "-j", task, "-o",
                "State"));
        if (accounted.succeeded()) {
            // such as "CANCELLED by 0"
            return accounted.out().lines().map(String::strip).filter(line -> !line.isEmpty())
                    .map(line -> line.split("\\s+")[0]).reduce((first, second) -> second);
        }
        return Optional.empty();
    }

    /** Task id ({@code 42_3}) to state of every task of these jobs in the queue. */
    private static Map<String, String> queue(List<String> jobs) throws IOException, InterruptedException {
        Map<String, String> states = new HashMap<>();
        if (jobs.isEmpty()) {
            return states;
        }
        SlurmCommands.Result result = SlurmCommands.run(List.of("squeue", "--noheader", "--array", "--jobs="
                + String.join(",", jobs), "--format=%F|%K|%T"));
        if (!result.succeeded()) {
            // squeue refuses a single job id it no longer knows: then none of them is in the queue
            if (jobs.size() == 1 && result.err().contains("Invalid job id")) {
                return states;
            }
            throw new IOException("cannot read the SLURM queue: " + result.describeFailure());
        }
        for (String line : result.out().lines().toList()) {
            String[] cells = line.strip().split("\\|");
            if (cells.length == 3) {
                states.put(cells[0] + "_" + cells[1], cells[2].toUpperCase(Locale.ROOT));
            }
        }
        return states;
    }


    /** A task's output file, {@code slurm/arm-NNN.job-JOB.out} or {@code .err}, as the job script names it. */
    static Path outputFile(SweepFolder sweep, Arm arm, String job, String suffix) {
        return folder(sweep).resolve(String.format(Locale.ROOT, "arm-%03d.job-%s.%s", arm.index(), job, suffix));
    }

    private static Path folder(SweepFolder sweep) {
        return sweep.launcherFolder(NAME);
    }

    private static String shellQuoted(String argument) {
        return "'" + argument.replace("'", "'\\''") + "'";
    }
}
