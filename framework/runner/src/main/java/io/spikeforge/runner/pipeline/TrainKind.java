package io.spikeforge.runner.pipeline;

import io.spikeforge.engine.data.ImageShape;
import io.spikeforge.engine.model.Model;
import io.spikeforge.runner.config.ComponentSlot;
import io.spikeforge.runner.config.ModelConfig;
import io.spikeforge.runner.config.TrainExperiment;
import io.spikeforge.runner.config.TrainingConfig;
import io.spikeforge.runner.plugin.ComponentProviders;
import io.spikeforge.runner.plugin.RegisteredComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The kind {@code train}: one model, ANN or spiking, trained directly with cross-entropy
 * ({@link TrainPhase}), from its random initial weights or from {@code weights}. Its name in
 * metrics, checkpoints, tracking and files is {@value #MODEL}.
 */
final class TrainKind implements Kind<TrainExperiment> {
    static final TrainKind INSTANCE = new TrainKind();

    /** The model's name in listener calls, metrics, checkpoints and file names. */
    static final String MODEL = ExperimentPipeline.MODEL;
    /** The SHA-256 of the initial weights file, in the model's checkpoints. */
    static final String WEIGHTS_SHA256 = "weights_sha256";

    private TrainKind() {
    }

    @Override
    public Class<TrainExperiment> type() {
        return TrainExperiment.class;
    }

    @Override
    public List<ExperimentMemory.Part> memory(TrainExperiment experiment, ImageShape input, int classes,
                                              OptionalInt trainImages, OptionalInt testImages) {
        TrainingConfig training = experiment.training();
        ModelConfig model = experiment.model();
        return List.of(
                new ExperimentMemory.Part(MODEL, ExperimentMemory.keys("model", model,
                        "training.batch_size " + training.batchSize()),
                        ModelFactory.builder(model, input, classes, 0, ModelFactory.NO_NEURONS)
                                .estimateMemory(input.side(), ExperimentMemory.batches(training.batchSize(),
                                        trainImages), ExperimentMemory.batches(training.batchSize(), testImages))),
                ExperimentMemory.loader(input, trainImages, testImages, "training.batch_size "
                        + training.batchSize(), training.batchSize()));
    }

    @Override
    public List<RegisteredComponent> components(TrainExperiment experiment) {
        List<RegisteredComponent> used = new ArrayList<>(List.of(experiment.neuron().component(),
                experiment.surrogate().component()));
        experiment.model().activation().map(ComponentSlot::component).ifPresent(used::add);
        return used;
    }

    @Override
    public Plan plan(TrainExperiment experiment, DataPreparation data, Seeds seeds, ComponentProviders providers)
            throws RunSetupException {
        int classes = data.dataset().classCount();
        ImageShape input = data.dataset().shape();
        ModelFactory.Training training = ModelFactory.training("training", experiment.training());
        if (experiment.model().architecture().spiking()) {
            RunComponents.trySpiking(providers, experiment.neuron(), experiment.surrogate());
        }
        Model model = RunComponents.buildModel(MODEL, experiment.model(), input, classes, seeds.weights(MODEL),
                experiment.neuron(), ModelFactory.neurons(providers, experiment.neuron(), experiment.surrogate()),
                providers);
        Optional<Path> weights = experiment.weights();
        Phase train = new TrainPhase(MODEL, model, training, Optional.empty(), Optional.empty(),
                () -> weights.isPresent() ? Map.of(WEIGHTS_SHA256, WeightsFile.sha256("weights", weights.get()))
                        : Map.of());
        return new Plan(List.of(train), resumption -> {
                    if (weights.isPresent()) {
                        WeightsFile.requireUnchanged(resumption, MODEL, "weights", weights.get(), WEIGHTS_SHA256);
                    }
                }, () -> {
                    if (weights.isPresent()) {
                        WeightsFile.load("weights", "model", weights.get(), model);
                    }
                });
    }
}
