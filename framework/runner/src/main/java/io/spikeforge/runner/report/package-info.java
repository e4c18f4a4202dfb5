/**
 * A sweep's report ({@code spikeforge report}): each arm's run folder read back
 * ({@link io.spikeforge.runner.pipeline.RecordedRun}), arms grouped over seeds, a table of final and
 * best accuracy, epochs to a target accuracy or to a baseline's final accuracy (the convergence
 * question), training time, firing rate and energy, written as {@code report.csv} and
 * {@code report.md} with overlaid curves as PNG in the sweep folder
 * ({@link io.spikeforge.runner.report.SweepReport}), and logged to the sweep's MLflow parent run
 * ({@link io.spikeforge.runner.report.ParentRun}).
 */
package io.spikeforge.runner.report;
