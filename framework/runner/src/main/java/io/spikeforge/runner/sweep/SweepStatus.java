package io.spikeforge.runner.sweep;

import io.spikeforge.runner.config.LauncherConfig;
import io.spikeforge.runner.sweep.SweepFolder.IndexRow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where every arm of a sweep stands, whichever launcher runs it: for a sweep submitted to SLURM,
 * from the queue, what SLURM says of ended jobs and the run folders (and the index is rewritten
 * with these states); for a local sweep, from the run folders, as the process running it leaves
 * them.
 *
 * @param folder the sweep folder
 * @param launcher the launcher that ran the arms: {@code local} or {@code slurm}
 * @param arms each arm's report, in index order
 */
public record SweepStatus(SweepFolder folder, String launcher, List<ArmReport> arms) {
    public SweepStatus {
        arms = List.copyOf(arms);
    }

    /**
     * Reads where the arms of the sweep in {@code dir} stand.
     *
     * @throws IOException if {@code dir} is not a sweep folder (the message says why), SLURM cannot
     *     be asked, or the index cannot be read or written
     */
    public static SweepStatus read(Path dir) throws IOException {
        Optional<String> notASweep = SweepFolder.whyNotASweepFolder(dir);
        if (notASweep.isPresent()) {
            throw new IOException(dir + ": " + notASweep.get());
        }
        SweepFolder folder = SweepFolder.at(dir.toAbsolutePath().normalize());
        if (SlurmLauncher.wasSubmitted(folder)) {
            return new SweepStatus(folder, SlurmLauncher.NAME, SlurmSweep.at(folder.root()).status());
        }
        List<ArmReport> reports = new ArrayList<>();
        for (IndexRow row : folder.readIndex()) {
            reports.add(ArmStates.reportOfRunFolder(folder, row.arm()));
        }
        return new SweepStatus(folder, LauncherConfig.LOCAL, reports);
    }

    /** Whether an arm is still pending, queued or running. */
    public boolean anyToCome() {
        return arms.stream().anyMatch(report -> report.state() == ArmState.PENDING
                || report.state() == ArmState.QUEUED || report.state() == ArmState.RUNNING);
    }

    /** Whether an arm failed, was cancelled or was never submitted. */
    public boolean anyFailed() {
        return arms.stream().anyMatch(report -> report.state() == ArmState.FAILED
                || report.state() == ArmState.CANCELLED || report.state() == ArmState.UNSUBMITTED);
    }
}
