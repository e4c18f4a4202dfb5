/**
 * Sweeps: the arms of a study or of a {@code key=a,b,c} grid, each an ordinary run in its own folder
 * of a sweep folder ({@link io.spikeforge.runner.sweep.SweepFolder}, the layout and the index of
 * arms), where each arm stands ({@link io.spikeforge.runner.sweep.ArmState}).
 */
package io.spikeforge.runner.sweep;
