package io.spikeforge.runner.sweep;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where and how the arms of a sweep run: every launcher runs each arm as its own process with
 * {@link ArmCommand}, so an arm behaves alike on a laptop and on a cluster node.
 */
public interface Launcher {
    /** The launcher's name in study files and on the command line, such as {@code local} or {@code slurm}. */
    String name();

    /**
     * Runs or submits the arms (all of the sweep's, or the ones to run again). A local launcher
     * returns when they ended; a cluster launcher once they are submitted.
     */
    void launch(SweepFolder sweep, List<Arm> arms, ArmCommand command) throws IOException, InterruptedException;

    /**
     * What the launcher knows of an arm beyond its run folder, such as a job waiting in the queue or
     * cancelled; empty when it knows nothing more (the run folder's status then says).
     */
    Optional<ArmState> state(SweepFolder sweep, Arm arm) throws IOException;
}
