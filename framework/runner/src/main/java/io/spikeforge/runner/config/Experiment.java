package io.spikeforge.runner.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated experiment with every default filled in. Immutable; each component is named after
 * its top-level YAML key.
 *
 * @param experiment name, seed and description
 * @param dataset the data set and its preprocessing
 * @param teacher the ANN teacher
 * @param student the student network
 * @param neuron the student's neuron model
 * @param surrogate the surrogate gradient of the spike
 * @param initialization how the student is initialized from the teacher; empty when disabled
 * @param distillation the distillation loss added to cross-entropy; empty for cross-entropy alone
 * @param training how the student is trained
 * @param tracking MLflow tracking
 * @param outputs where run folders and checkpoints go
 */
public record Experiment(ExperimentInfo experiment, DatasetConfig dataset, TeacherConfig teacher,
                         StudentConfig student, ComponentSlot neuron, ComponentSlot surrogate,
                         Optional<ComponentSlot> initialization, Optional<ComponentSlot> distillation,
                         TrainingConfig training, TrackingConfig tracking, OutputsConfig outputs) {
    public Experiment {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(teacher, "teacher");
        Objects.requireNonNull(student, "student");
        Objects.requireNonNull(neuron, "neuron");
        Objects.requireNonNull(surrogate, "surrogate");
        Objects.requireNonNull(initialization, "initialization");
        Objects.requireNonNull(distillation, "distillation");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(tracking, "tracking");
        Objects.requireNonNull(outputs, "outputs");
    }

    /**
     * The fully resolved experiment as YAML: every key in schema order with its value, defaults and
     * plugin parameters included (those a component derives too), and each slot's plugin id and
     * version. Loading it again gives an equal experiment (with the same plugins).
     */
    public String toYaml() {
        return ExperimentWriter.toYaml(this);
    }

    /**
     * Every value under its dotted key, in schema order, as text: {@code training.optimizer.lr -> 0.05},
     * lists as {@code [60, 120, 160]}, unset values as {@code null}. Component slots are flattened
     * by {@link io.spikeforge.api.component.ComponentProvenance#flatten}; a disabled slot gives
     * {@code <slot>.id -> none}.
     */
    public Map<String, String> flatten() {
        return ExperimentWriter.flatten(this);
    }
}
