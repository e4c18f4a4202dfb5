package io.spikeforge.runner.sweep;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one arm of a sweep stands, as {@code spikeforge sweep status} shows it.
 *
 * @param arm the arm
 * @param state its state: from its run folder, and for SLURM from the queue and what SLURM says of its job
 * @param job the SLURM array task of its latest submission, such as {@code 42_3}; empty if never submitted or run locally
 * @param runFolder its run folder
 * @param lastError for an arm that failed or was cancelled: the last error line of its run folder
 *     or of its job's output (or SLURM's cancellation line)
 */
public record ArmReport(Arm arm, ArmState state, Optional<String> job, Path runFolder,
                             Optional<String> lastError) {
    public ArmReport {
        Objects.requireNonNull(arm, "arm");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(runFolder, "runFolder");
        Objects.requireNonNull(lastError, "lastError");
    }
}
