package io.spikeforge.runner.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The command line that runs one arm of a sweep: {@code spikeforge sweep arm SWEEP_DIR INDEX}, with
 * the distribution's own launcher script, so a job on a cluster node runs the same Spikeforge.
 *
 * @param executable the distribution's {@code bin/spikeforge}
 */
public record ArmCommand(Path executable) {
    public ArmCommand {
        Objects.requireNonNull(executable, "executable");
    }

    /**
     * The arguments for the arm at {@code index} of the sweep in {@code sweep}; {@code index} is a
     * number, or a shell expansion such as {@code $SLURM_ARRAY_TASK_ID} in a job script.
     */
    public List<String> forArm(Path sweep, String index) {
        return List.of(executable.toString(), "sweep", "arm", sweep.toAbsolutePath().toString(), index);
    }
}
