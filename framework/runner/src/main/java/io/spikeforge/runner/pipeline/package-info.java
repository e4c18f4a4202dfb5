/**
 * The main job: an {@link io.spikeforge.runner.config.Experiment} run end to end by
 * {@link io.spikeforge.runner.pipeline.ExperimentPipeline}. Data is loaded (a missing synthetic set
 * is generated), the ANN teacher is trained or loaded, the spiking student is built, initialized
 * from the teacher and trained with distillation, and everything lands in a run folder: resolved
 * config, metrics, plots, weights, checkpoints, initialization report and status. A stopped or
 * killed run resumes from its checkpoints ({@link io.spikeforge.runner.pipeline.ExperimentPipeline.Builder#resume}).
 *
 * <p>Whoever wants to follow a run (a progress display, an experiment tracker) implements
 * {@link io.spikeforge.runner.pipeline.RunListener} and passes it to the pipeline's builder.
 */
package io.spikeforge.runner.pipeline;
