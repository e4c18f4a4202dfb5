/**
 * Sweeps: the arms of a study or of a {@code key=a,b,c} grid, each an ordinary run in its own folder
 * of a sweep folder ({@link io.spikeforge.runner.sweep.SweepFolder}, the layout and the index of
 * arms), where each arm stands ({@link io.spikeforge.runner.sweep.ArmState},
 * {@link io.spikeforge.runner.sweep.ArmStates} from its run folder,
 * {@link io.spikeforge.runner.sweep.ArmReport}; {@link io.spikeforge.runner.sweep.SweepStatus} for
 * a whole sweep, whichever launcher runs it). {@link io.spikeforge.runner.sweep.SweepLoader}
 * defines and validates a sweep, {@link io.spikeforge.runner.sweep.SweepFile} keeps it in
 * {@code sweep.yaml}; launchers ({@link io.spikeforge.runner.sweep.Launcher},
 * {@link io.spikeforge.runner.sweep.LocalLauncher}, {@link io.spikeforge.runner.sweep.SlurmLauncher}: a job array on
 * a SLURM cluster, whose arms {@link io.spikeforge.runner.sweep.SlurmSweep} reports, resubmits and
 * records as they end, so that the last one ends the sweep) run each arm as its own process;
 * {@link io.spikeforge.runner.sweep.SharedModel} is a teacher or ANN trained once and shared by the
 * arms that resolve to it; {@link io.spikeforge.runner.sweep.SweepTracking} makes the sweep an
 * MLflow parent run of its arms, knows where the parent's id lives and sets the parent's status from
 * other processes (an ending arm, {@code sweep status}, a resumed sweep).
 */
package io.spikeforge.runner.sweep;
