package io.spikeforge.runner.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * An experiment of kind {@code train}: one model, ANN or spiking, trained directly with
 * cross-entropy (the baseline SNN papers compare with, or a teacher trained alone).
 *
 * @param experiment name, seed and description
 * @param dataset the data set and its preprocessing
 * @param model the network trained
 * @param weights when present, a .safetensors file or checkpoint the model starts from instead of
 *     its random initial weights
 * @param neuron the neuron model of a spiking model (unused by an ANN)
 * @param surrogate the surrogate gradient of a spiking model (unused by an ANN)
 * @param training how the model is trained
 * @param tracking MLflow tracking
 * @param outputs where run folders and checkpoints go
 */
public record TrainExperiment(ExperimentInfo experiment, DatasetConfig dataset, ModelConfig model,
                              Optional<Path> weights, ComponentSlot neuron, ComponentSlot surrogate,
                              TrainingConfig training, TrackingConfig tracking, OutputsConfig outputs)
        implements Experiment {
    public TrainExperiment {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(neuron, "neuron");
        Objects.requireNonNull(surrogate, "surrogate");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(tracking, "tracking");
        Objects.requireNonNull(outputs, "outputs");
    }

    @Override
    public ExperimentKind kind() {
        return ExperimentKind.TRAIN;
    }
}
