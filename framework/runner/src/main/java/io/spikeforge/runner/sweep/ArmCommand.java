package io.spikeforge.runner.sweep;

import io.spikeforge.runner.plugin.PluginHostOptions;
import java.io.IOException;
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
     * The command of this distribution's {@code bin/spikeforge}, which its launcher script names in
     * the system property {@code spikeforge.home}: the arms run the same Spikeforge as the sweep.
     *
     * @throws IOException if the property is not set (Spikeforge was not started by that script)
     */
    public static ArmCommand ofThisDistribution() throws IOException {
        String home = System.getProperty(PluginHostOptions.HOME_PROPERTY);
        if (home == null || home.isBlank()) {
            throw new IOException("the system property " + PluginHostOptions.HOME_PROPERTY + " is not set: run the "
                    + "distribution's bin/spikeforge, whose launcher sets it, so the arms run the same Spikeforge");
        }
        return new ArmCommand(Path.of(home, "bin", "spikeforge"));
    }

    /**
     * The arguments for the arm at {@code index} of the sweep in {@code sweep}; {@code index} is a
     * number, or a shell expansion such as {@code $SLURM_ARRAY_TASK_ID} in a job script.
     */
    public List<String> forArm(Path sweep, String index) {
        return List.of(executable.toString(), "sweep", "arm", sweep.toAbsolutePath().toString(), index);
    }
}
