package io.spikeforge.runner.config;

import java.util.Map;

/**
 * A validated experiment with every default filled in: one record per {@link ExperimentKind}, each
 * component named after its top-level YAML key. The sections every kind has are here.
 */
public sealed interface Experiment permits DistillExperiment, TrainExperiment, ConvertExperiment {
    /** What the experiment does, its {@code kind:}. */
    ExperimentKind kind();

    /** Name, seed and description. */
    ExperimentInfo experiment();

    /** The data set and its preprocessing. */
    DatasetConfig dataset();

    /**
     * How the model the experiment is about (the student of {@code distill}, the ANN of
     * {@code convert}) is trained.
     */
    TrainingConfig training();

    /** MLflow tracking. */
    TrackingConfig tracking();

    /** Where run folders and checkpoints go. */
    OutputsConfig outputs();

    /**
     * The fully resolved experiment as YAML: {@code kind} and every key of its schema in order with
     * its value, defaults and plugin parameters included (those a component derives too), and each
     * slot's plugin id and version. Loading it again gives an equal experiment (with the same plugins).
     */
    default String toYaml() {
        return ExperimentWriter.toYaml(this);
    }

    /**
     * Every value under its dotted key, in schema order, as text: {@code training.optimizer.lr -> 0.05},
     * lists as {@code [60, 120, 160]}, unset values as {@code null}. Component slots are flattened
     * by {@link io.spikeforge.api.component.ComponentProvenance#flatten}; a disabled slot gives
     * {@code <slot>.id -> none}.
     */
    default Map<String, String> flatten() {
        return ExperimentWriter.flatten(this);
    }
}
