package io.spikeforge.runner.pipeline;

import io.spikeforge.api.convert.ThresholdStrategy;
import io.spikeforge.common.IoErrors;
import io.spikeforge.engine.io.Safetensors;
import io.spikeforge.engine.data.ImageShape;
import io.spikeforge.engine.model.Model;
import io.spikeforge.engine.tensor.MemoryEstimate;
import io.spikeforge.runner.config.ComponentSlot;
import io.spikeforge.runner.config.ConversionConfig;
import io.spikeforge.runner.config.ConvertExperiment;
import io.spikeforge.runner.config.ModelConfig;
import io.spikeforge.runner.config.TrainingConfig;
import io.spikeforge.runner.plugin.ComponentProviders;
import io.spikeforge.runner.plugin.RegisteredComponent;
import org.nd4j.linalg.api.ndarray.INDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The kind {@code convert}: ANN-to-SNN conversion. Phases: the ANN is trained ({@link TrainPhase},
 * {@code training}) or, with {@code weights}, loaded and evaluated ({@link EvaluatePhase}); then
 * {@link ConvertPhase} folds its BatchNorms, sets the spiking thresholds with the
 * {@code conversion.thresholds} strategy on calibration batches (or, on a resumed run, reads them
 * back from {@value RunFolder#THRESHOLDS}), evaluates the spiking network at every
 * {@code conversion.time_steps} in one pass and analyses its errors. Models: {@value #ANN}, {@value #SNN}.
 */
final class ConvertKind implements Kind<ConvertExperiment> {
    static final ConvertKind INSTANCE = new ConvertKind();

    /** The ANN's name in listener calls, metrics, checkpoints and file names. */
    static final String ANN = ExperimentPipeline.ANN;
    /** The converted network's name in listener calls and results. */
    static final String SNN = ExperimentPipeline.SNN;
    /** Channels of a CIFAR VGG's first stage. */
    private static final int VGG_FIRST_WIDTH = 64;

    private ConvertKind() {
    }

    @Override
    public Class<ConvertExperiment> type() {
        return ConvertExperiment.class;
    }

    /**
     * The ANN (trained, or only evaluated when loaded); the converted network, which steps through
     * time keeping one time-step's state, so that it needs about what the ANN's forward pass needs
     * whatever T; the calibration, which keeps the spike trains of {@code calibration_time_steps}
     * steps of the layer being calibrated and of a residual block's input, with the ANN's
     * activations, for every calibration image; and the loader.
     */
    @Override
    public List<ExperimentMemory.Part> memory(ConvertExperiment experiment, ImageShape input, int classes,
                                              OptionalInt trainImages, OptionalInt testImages) {
        TrainingConfig training = experiment.training();
        ModelConfig model = experiment.model();
        ConversionConfig conversion = experiment.conversion();
        boolean trained = experiment.weights().isEmpty();
        String batch = "training.batch_size " + training.batchSize();
        Set<Integer> testBatches = ExperimentMemory.batches(training.batchSize(), testImages);
        MemoryEstimate ann = ModelFactory.builder(model, input, classes, 0, ModelFactory.NO_NEURONS)
                .estimateMemory(input.side(), trained ? ExperimentMemory.batches(training.batchSize(), trainImages)
                        : Set.of(), testBatches);
        MemoryEstimate snn = ModelFactory.builder(model, input, classes, 0, ModelFactory.NO_NEURONS)
                .estimateMemory(input.side(), Set.of(), testBatches);
        double calibrationImages = (double) conversion.calibrationBatches() * training.batchSize();
        if (trainImages.isPresent()) {
            calibrationImages = Math.min(calibrationImages, trainImages.getAsInt());
        }
        double calibrationBytes = calibrationImages * largestActivation(model, input) * Float.BYTES
                * (2.0 * conversion.calibrationTimeSteps() + 2);
        return List.of(
                new ExperimentMemory.Part(ANN, ExperimentMemory.keys("model", model,
                        trained ? batch : "weights loaded"), ann),
                new ExperimentMemory.Part(SNN, ExperimentMemory.keys("model", model, batch), snn),
                new ExperimentMemory.Part("calibration", "conversion.calibration_batches "
                        + conversion.calibrationBatches() + ", conversion.calibration_time_steps "
                        + conversion.calibrationTimeSteps() + ", " + batch,
                        new MemoryEstimate(0, 0, 0, calibrationBytes, 0, 0)),
                ExperimentMemory.loader(input, trainImages, testImages, batch, training.batchSize()));
    }

    /** Values per image of the model's widest layer output: the first stage's, at full resolution. */
    private static double largestActivation(ModelConfig model, ImageShape input) {
        int channels = model.architecture().resnet() ? model.widths().get(0) : VGG_FIRST_WIDTH;
        return (double) channels * input.side() * input.side();
    }

    @Override
    public List<RegisteredComponent> components(ConvertExperiment experiment) {
        List<RegisteredComponent> used = new ArrayList<>();
        experiment.model().activation().map(ComponentSlot::component).ifPresent(used::add);
        used.add(experiment.conversion().thresholds().component());
        return used;
    }

    @Override
    public Plan plan(ConvertExperiment experiment, DataPreparation data, Seeds seeds, ComponentProviders providers)
            throws RunSetupException {
        int classes = data.dataset().classCount();
        ImageShape input = data.dataset().shape();
        ModelFactory.Training training = ModelFactory.training("training", experiment.training());
        Model ann = RunComponents.buildModel("model", experiment.model(), input, classes, seeds.weights(ANN), null,
                ModelFactory.NO_NEURONS, providers);
        ComponentSlot slot = experiment.conversion().thresholds();
        ThresholdStrategy strategy = RunComponents.create("conversion.thresholds", slot,
                () -> providers.thresholdStrategy(slot.id()).create(slot.parameters()));
        Optional<Path> weights = experiment.weights();
        int batchSize = experiment.training().batchSize();
        Phase first = weights.isPresent() ? new EvaluatePhase(ANN, ann, batchSize, ANN)
                : TrainPhase.alone(ANN, ann, training);
        Phase convert = new ConvertPhase(SNN, ann, slot, strategy, experiment.conversion(), batchSize);
        return new Plan(List.of(first, convert), resumption -> {
            if (weights.isPresent()) {
                requireConvertedWeights(resumption, weights.get(), ann);
            }
        }, () -> {
            if (weights.isPresent()) {
                WeightsFile.load("weights", "model", weights.get(), ann);
            }
        });
    }

    /**
     * A resumed run reuses its thresholds only for the ANN they were calibrated for: a loaded ANN
     * must still be the one the run saved as {@code ann.safetensors} before converting it (a
     * trained one is guarded by its checkpoints).
     */
    private static void requireConvertedWeights(Resumption resumption, Path weights, Model ann)
            throws RunSetupException {
        Path folder = resumption.folder().path();
        Path converted = resumption.folder().file(ANN + ".safetensors");
        if (!Files.isRegularFile(resumption.folder().file(RunFolder.THRESHOLDS)) || !Files.isRegularFile(converted)) {
            return;
        }
        WeightsFile.load("weights", "model", weights, ann);
        Map<String, INDArray> saved;
        try {
            saved = Safetensors.read(converted).tensors();
        } catch (IOException e) {
            throw new RunSetupException("cannot resume " + folder + ": " + IoErrors.message(e), e);
        }
        for (String name : ann.stateDict().names()) {
            INDArray value = saved.get(name);
            if (value == null || !value.castTo(ann.stateDict().get(name).dataType()).equals(ann.stateDict().get(name))) {
                throw new RunSetupException("cannot resume " + folder + ": weights " + weights + " is not the ANN"
                        + " the run converted (its " + converted.getFileName() + " differs at " + name + "), and"
                        + " its " + RunFolder.THRESHOLDS + " were calibrated for that one");
            }
        }
    }
}
