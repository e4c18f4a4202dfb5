package io.spikeforge.runner.sweep;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one arm of a SLURM sweep stands, as {@code spikeforge sweep status} shows it.
 *
 * @param arm the arm
 * @param state its state, from the queue, SLURM and its run folder
 * @param job the array task of its latest submission, such as {@code 42_3}; empty if never submitted
 * @param runFolder its run folder
 * @param lastError for an arm that failed or was cancelled: the last error line of its run folder
 *     or of its job's output (or SLURM's cancellation line)
 */
public record SlurmArmReport(Arm arm, ArmState state, Optional<String> job, Path runFolder,
                             Optional<String> lastError) {
    public SlurmArmReport {
        Objects.requireNonNull(arm, "arm");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(runFolder, "runFolder");
        Objects.requireNonNull(lastError, "lastError");
    }
}
