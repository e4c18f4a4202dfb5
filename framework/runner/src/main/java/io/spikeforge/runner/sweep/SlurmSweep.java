package io.spikeforge.runner.sweep;

import io.spikeforge.common.AtomicFiles;
import io.spikeforge.runner.sweep.SweepFolder.IndexRow;
import io.spikeforge.tracking.RunStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A sweep that was submitted to SLURM, for {@code spikeforge sweep status} and
 * {@code spikeforge sweep resubmit}: where its arms stand, and submitting some of them again with
 * the settings of the first submission.
 */
public final class SlurmSweep {
    /** The arms that ended in their jobs: job, arm, state, one line per end. */
    static final String ENDS_FILE = "ends.tsv";
    private static final String ENDS_HEADER = "job\tarm\tstate";

    private final SweepFolder sweep;
    private final SlurmLauncher launcher;

    private SlurmSweep(SweepFolder sweep, SlurmLauncher launcher) {
        this.sweep = sweep;
        this.launcher = launcher;
    }

    /**
     * The sweep in {@code folder}.
     *
     * @throws IOException if it is not a sweep folder, or was never submitted to SLURM (the message
     *     names the folder and what is missing)
     */
    public static SlurmSweep at(Path folder) throws IOException {
        SweepFolder sweep = SweepFolder.at(folder);
        var notASweep = SweepFolder.whyNotASweepFolder(folder);
        if (notASweep.isPresent()) {
            throw new IOException(folder + ": " + notASweep.get());
        }
        return new SlurmSweep(sweep, SlurmLauncher.ofSubmittedSweep(sweep));
    }

    /** The sweep's folder. */
    public SweepFolder folder() {
        return sweep;
    }

    /** The launcher with the settings of the sweep's submissions. */
    public SlurmLauncher launcher() {
        return launcher;
    }

    /**
     * Where every arm stands, in arm order; the index ({@code index.tsv}) is rewritten with these
     * states.
     *
     * @throws IOException if the index cannot be read or written, or SLURM cannot be asked
     */
    public List<ArmReport> status() throws IOException {
        List<Arm> arms = sweep.readIndex().stream().map(IndexRow::arm).toList();
        List<ArmReport> reports = launcher.inspect(sweep, arms);
        sweep.writeIndex(reports.stream().map(report -> new IndexRow(report.arm(), report.state())).toList());
        return reports;
    }

    /**
     * Submits these arms again, as one job array with the sweep's settings: the arms named by
     * index, and with {@code unfinished} every arm that failed, was cancelled, was interrupted or was never submitted. An
     * arm's {@code sweep arm} continues an unfinished run folder from its checkpoints. Returns the
     * job and its arms; empty when there is nothing to submit.
     *
     * @throws IllegalArgumentException if a named arm does not exist, finished, or is still queued
     *     or running (the message names each such arm and its state)
     * @throws IOException if SLURM cannot be asked or refuses the job
     */
    public Optional<Resubmission> resubmit(Collection<Integer> indices, boolean unfinished, ArmCommand command)
            throws IOException, InterruptedException {
        List<ArmReport> reports = status();
        Map<Integer, ArmReport> byIndex = reports.stream()
                .collect(Collectors.toMap(report -> report.arm().index(), Function.identity(), (a, b) -> a,
                        TreeMap::new));
        List<String> refused = new ArrayList<>();
        TreeSet<Integer> chosen = new TreeSet<>();
        for (int index : indices) {
            ArmReport report = byIndex.get(index);
            if (report == null) {
                refused.add("arm " + index + " does not exist (the sweep has arms 0 to " + (reports.size() - 1) + ")");
            } else if (!report.state().needsRun() || report.state() == ArmState.QUEUED
                    || report.state() == ArmState.RUNNING) {
                refused.add("arm " + index + " '" + report.arm().name() + "' is " + report.state().word()
                        + report.job().map(job -> " (job " + job + ")").orElse(""));
            } else {
                chosen.add(index);
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException(sweep.root() + ": cannot resubmit " + String.join("; ", refused)
                    + "; only an arm that is pending, failed, interrupted, cancelled or unsubmitted is resubmitted");
        }
        if (unfinished) {
            reports.stream().filter(report -> report.state().endedUnfinished())
                    .forEach(report -> chosen.add(report.arm().index()));
        }
        List<Arm> arms = chosen.stream().map(index -> byIndex.get(index).arm()).toList();
        if (arms.isEmpty()) {
            return Optional.empty();
        }
        String job = launcher.submit(sweep, arms, command);
        sweep.writeIndex(reports.stream().map(report -> new IndexRow(report.arm(),
                chosen.contains(report.arm().index()) ? ArmState.QUEUED : report.state())).toList());
        return Optional.of(new Resubmission(job, arms));
    }

    /**
     * Called in an arm's job when the arm ended there: records it in {@value #ENDS_FILE} of the
     * sweep's {@code slurm/} folder, and says whether the sweep ended with it. Returns the status
     * of the sweep's parent run when every arm has ended in its latest job ({@code FINISHED} if every
     * one finished, else {@code FAILED}); empty while an arm has not (it is queued or running, was
     * resubmitted, or was never submitted). To be called under the sweep folder's lock
     * ({@link SweepFolder#locked}), so that of two arms ending at once the second sees the first.
     *
     * @param job the arm's array job ({@code SLURM_ARRAY_JOB_ID})
     * @param state how the arm ended: finished, failed or interrupted
     * @throws IOException if the records cannot be read or written
     */
    public static Optional<RunStatus> armEnded(SweepFolder sweep, List<Arm> arms, Arm arm, String job,
                                               ArmState state) throws IOException {
        Path file = sweep.launcherFolder(SlurmLauncher.NAME).resolve(ENDS_FILE);
        String old = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : ENDS_HEADER + "\n";
        AtomicFiles.write(file, (old + job + "\t" + arm.index() + "\t" + state.word() + "\n")
                .getBytes(StandardCharsets.UTF_8));
        Map<String, ArmState> ended = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8).stream().skip(1).toList()) {
            String[] cells = line.split("\t", -1);
            if (cells.length == 3) {
                ArmState.ofWord(cells[2]).ifPresent(word -> ended.put(cells[0] + "_" + cells[1], word));
            }
        }
        List<SlurmSubmissions.Submission> submissions = new SlurmSubmissions(sweep.launcherFolder(SlurmLauncher.NAME)
                .resolve(SlurmSubmissions.FILE)).read();
        List<ArmState> states = new ArrayList<>();
        for (Arm each : arms) {
            Optional<SlurmSubmissions.Submission> latest = SlurmSubmissions.latestFor(submissions, each.index());
            ArmState endedIn = latest.map(submission -> ended.get(submission.taskOf(each.index()))).orElse(null);
            if (endedIn == null) {
                return Optional.empty();
            }
            states.add(endedIn);
        }
        return Optional.of(SweepTracking.statusOfEnded(states));
    }

    /**
     * One resubmission.
     *
     * @param job the SLURM array job's id
     * @param arms the arms it runs, in index order
     */
    public record Resubmission(String job, List<Arm> arms) {
        public Resubmission {
            arms = List.copyOf(arms);
        }
    }
}
