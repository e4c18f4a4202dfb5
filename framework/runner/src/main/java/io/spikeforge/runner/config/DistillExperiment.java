package io.spikeforge.runner.config;

import java.util.Objects;
import java.util.Optional;

/**
 * An experiment of kind {@code distill} (IDSNN): an ANN teacher, trained or loaded; a student
 * initialized from it and trained with distillation from the frozen teacher.
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
public record DistillExperiment(ExperimentInfo experiment, DatasetConfig dataset, TeacherConfig teacher,
                                StudentConfig student, ComponentSlot neuron, ComponentSlot surrogate,
                                Optional<ComponentSlot> initialization, Optional<ComponentSlot> distillation,
                                TrainingConfig training, TrackingConfig tracking, OutputsConfig outputs)
        implements Experiment {
    public DistillExperiment {
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

    @Override
    public ExperimentKind kind() {
        return ExperimentKind.DISTILL;
    }
}
