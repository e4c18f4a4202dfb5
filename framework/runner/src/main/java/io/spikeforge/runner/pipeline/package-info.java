/**
 * The main job: an {@link io.spikeforge.runner.config.Experiment} run end to end by
 * {@link io.spikeforge.runner.pipeline.ExperimentPipeline}, the one runner of every experiment kind.
 * Data is loaded (a missing synthetic set is generated), the kind ({@code Kind}: {@code DistillKind},
 * {@code TrainKind}, {@code ConvertKind}) builds its models and components and arranges them into
 * phases ({@code Phase}: train a model, evaluate a loaded one, initialize one from another, convert
 * an ANN into a spiking network and evaluate it over time-steps), and the runner executes them;
 * everything lands in a run folder: resolved config, metrics, plots, weights, checkpoints,
 * initialization report, a conversion's thresholds, tables and plots, and status. A stopped or
 * killed run resumes from its checkpoints ({@link io.spikeforge.runner.pipeline.ExperimentPipeline.Builder#resume}).
 * {@link io.spikeforge.runner.pipeline.ModelEvaluation} builds a model from one of an experiment's
 * model sections and evaluates a weights file with it, without a run ({@code spikeforge eval}).
 *
 * <p>Whoever wants to follow a run (a progress display, an experiment tracker) implements
 * {@link io.spikeforge.runner.pipeline.RunListener} and passes it to the pipeline's builder.
 */
package io.spikeforge.runner.pipeline;
