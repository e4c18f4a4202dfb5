package io.spikeforge.runner.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * An experiment of kind {@code convert}: an ANN, trained in the run or loaded from {@code weights},
 * converted into a spiking network of integrate-and-fire neurons and evaluated over time-steps, with
 * the conversion's error analysis and energy estimate.
 *
 * @param experiment name, seed and description
 * @param dataset the data set and its preprocessing
 * @param model the ANN that is converted
 * @param weights when present, a .safetensors file or checkpoint the ANN is loaded from instead of
 *     being trained
 * @param training how the ANN is trained when no weights are given; its batch size is also the
 *     calibration and evaluation batch size
 * @param conversion how the ANN becomes a spiking network and how that network is evaluated
 * @param tracking MLflow tracking
 * @param outputs where run folders and checkpoints go
 */
public record ConvertExperiment(ExperimentInfo experiment, DatasetConfig dataset, ModelConfig model,
                                Optional<Path> weights, TrainingConfig training, ConversionConfig conversion,
                                TrackingConfig tracking, OutputsConfig outputs) implements Experiment {
    public ConvertExperiment {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(conversion, "conversion");
        Objects.requireNonNull(tracking, "tracking");
        Objects.requireNonNull(outputs, "outputs");
    }

    @Override
    public ExperimentKind kind() {
        return ExperimentKind.CONVERT;
    }
}
