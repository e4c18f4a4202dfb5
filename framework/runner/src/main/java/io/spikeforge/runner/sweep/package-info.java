/**
 * Sweeps: the arms of a study or of a {@code key=a,b,c} grid, each an ordinary run in its own folder
 * of a sweep folder ({@link io.spikeforge.runner.sweep.SweepFolder}, the layout and the index of
 * arms), where each arm stands ({@link io.spikeforge.runner.sweep.ArmState}), and the launchers that
 * run the arms, such as {@link io.spikeforge.runner.sweep.SlurmLauncher} (a job array on a SLURM
 * cluster; {@link io.spikeforge.runner.sweep.SlurmSweep} reports and resubmits its arms).
 */
package io.spikeforge.runner.sweep;
