package io.spikeforge.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.data.Augmentation;
import io.spikeforge.engine.data.DataLoader;
import io.spikeforge.engine.data.ImageSet;
import io.spikeforge.engine.data.LoaderOptions;
import io.spikeforge.engine.data.Normalization;
import io.spikeforge.engine.data.Split;
import io.spikeforge.engine.data.SyntheticImageSets;
import io.spikeforge.engine.data.SyntheticSpec;
import io.spikeforge.engine.io.Safetensors;
import io.spikeforge.engine.io.SafetensorsFile;
import io.spikeforge.engine.io.SafetensorsFormatException;
import io.spikeforge.engine.io.StateDictMismatchException;
import io.spikeforge.engine.model.NeuronFactory;
import io.spikeforge.engine.model.ResNet;
import io.spikeforge.testkit.SlowTest;
import io.spikeforge.testkit.neuron.LifTestNeuron;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Checkpoints on a tiny spiking ResNet: a training stopped after some epochs, restored from its
 * checkpoint into fresh objects and continued, ends bit for bit where an uninterrupted one does.
 */
@SlowTest
class TrainingCheckpointTest {
    private static final int CLASSES = 10;
    private static final SyntheticSpec SPEC = new SyntheticSpec(CLASSES, 32, 16, 5);
    private static final ImageSet TRAIN = SyntheticImageSets.images(SPEC, Split.TRAIN);
    private static final ImageSet TEST = SyntheticImageSets.images(SPEC, Split.TEST);
    private static final Normalization NORMALIZATION = Normalization.of(TRAIN);
    private static final int EPOCHS = 3;

    @TempDir
    Path dir;

    private static ResNet student() {
        NeuronFactory neurons = (layer, type) -> LifTestNeuron.builder().build();
        return ResNet.builder().optDepth(20).optWidths(4, 8, 8).optBlocksPerStage(1).optClasses(CLASSES)
                .optSeed(3).optSpiking(neurons, 2).build();
    }

    private static TrainingLoop.Builder loop(ResNet model, Sgd optimizer) {
        DataLoader train = new DataLoader(TRAIN, LoaderOptions.training(8, 11, Augmentation.CIFAR_STANDARD,
                NORMALIZATION));
        DataLoader test = new DataLoader(TEST, LoaderOptions.evaluation(8, NORMALIZATION));
        // a schedule that changes every epoch, so that resuming at the wrong epoch would show
        return TrainingLoop.builder("student", model, train, test)
                .optimizer(optimizer, LearningRateSchedule.multiStep(0.1, new int[] {1, 2}, 0.5), EPOCHS);
    }

    private static Sgd sgd() {
        return new Sgd(0.9, 1e-4, true);
    }

    @Test
    void aResumedTrainingEndsWithTheNumbersOfAnUninterruptedOne() throws IOException {
        ResNet uninterrupted = student();
        List<EpochResult> expected = loop(uninterrupted, sgd()).build().run().epochs();

        ResNet first = student();
        Sgd firstOptimizer = sgd();
        Path checkpoint = dir.resolve("student-last.safetensors");
        loop(first, firstOptimizer).listener(new TrainingListener() {
            @Override
            public void onEpoch(EpochResult epoch) {
                if (epoch.epoch() == 0) {
                    write(checkpoint, first, firstOptimizer, Map.of("epochs_completed", "1"));
                }
            }
        }).stopWhen(() -> Files.exists(checkpoint)).build().run();

        TrainingCheckpoint read = TrainingCheckpoint.read(checkpoint);
        assertEquals(Map.of("epochs_completed", "1", "architecture", "spiking-resnet8"), read.metadata());
        ResNet resumed = student();
        Sgd resumedOptimizer = sgd();
        read.restore(resumed, resumedOptimizer);
        List<TrainingStart> starts = new ArrayList<>();
        TrainingResult rest = loop(resumed, resumedOptimizer).startAt(1).listener(new TrainingListener() {
            @Override
            public void onTrainingStart(TrainingStart start) {
                starts.add(start);
            }
        }).build().run();

        assertEquals(1, starts.get(0).firstEpoch());
        assertEquals(2L * starts.get(0).stepsPerEpoch(), starts.get(0).remainingSteps());
        assertEquals(List.of(1, 2), rest.epochs().stream().map(EpochResult::epoch).toList());
        for (int i = 0; i < rest.epochs().size(); i++) {
            EpochResult want = expected.get(i + 1);
            EpochResult got = rest.epochs().get(i);
            assertEquals(want.learningRate(), got.learningRate(), "lr of epoch " + got.epoch());
            assertEquals(want.trainLoss(), got.trainLoss(), "train loss of epoch " + got.epoch());
            assertEquals(want.trainAccuracy(), got.trainAccuracy(), "train accuracy of epoch " + got.epoch());
            assertEquals(want.evaluation(), got.evaluation(), "evaluation of epoch " + got.epoch());
        }
        for (String name : uninterrupted.stateDict().names()) {
            assertArrayEquals(uninterrupted.stateDict().get(name).dup().data().asFloat(),
                    resumed.stateDict().get(name).dup().data().asFloat(), name);
        }
    }

    @Test
    void theMomentumBufferOfEveryParameterIsRestored() throws IOException {
        ResNet trained = student();
        Sgd optimizer = sgd();
        loop(trained, optimizer).optimizer(optimizer, LearningRateSchedule.constant(0.1), 1).build().run();
        Path file = dir.resolve("c.safetensors");
        TrainingCheckpoint.write(file, trained, optimizer, Map.of());

        TrainingCheckpoint read = TrainingCheckpoint.read(file);
        assertEquals(trained.parameters().keySet(), read.momentumBuffers().keySet(), "every parameter stepped");
        assertEquals(trained.stateDict().names(), read.modelTensors().keySet());
        Sgd restored = sgd();
        ResNet model = student();
        read.restore(model, restored);
        trained.parameters().forEach((name, parameter) -> assertArrayEquals(
                optimizer.momentumBuffers().get(parameter).dup().data().asFloat(),
                restored.momentumBuffers().get(model.parameters().get(name)).dup().data().asFloat(), name));
        assertTrue(optimizer.momentumBuffers().values().stream().anyMatch(b -> b.amaxNumber().doubleValue() > 0),
                "the buffers are not all zero, so restoring them is tested");
    }

    @Test
    void aPlainWeightsFileIsNotACheckpoint() throws IOException {
        ResNet model = student();
        Path weights = dir.resolve("weights.safetensors");
        Safetensors.write(weights, model.stateDict(), Map.of("model", "student"));

        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
                () -> TrainingCheckpoint.read(weights));
        assertTrue(e.getMessage().contains(weights.toString()) && e.getMessage().contains("not a Spikeforge checkpoint"),
                e.getMessage());
        assertFalse(TrainingCheckpoint.isCheckpoint(Safetensors.read(weights)));
    }

    @Test
    void aCheckpointOfAnotherModelListsTheOffendingTensors() throws IOException {
        ResNet wide = ResNet.builder().optDepth(20).optWidths(4, 8, 16).optBlocksPerStage(1).optClasses(CLASSES)
                .optSeed(3).build();
        Sgd optimizer = sgd();
        Path file = dir.resolve("wide.safetensors");
        TrainingCheckpoint.write(file, wide, optimizer, Map.of());

        StateDictMismatchException e = assertThrows(StateDictMismatchException.class,
                () -> TrainingCheckpoint.read(file).restore(student(), sgd()));
        assertTrue(e.getMessage().contains("layer3.0.conv1.weight"), e.getMessage());
    }

    @Test
    void theFormatKeyIsReserved() {
        assertThrows(IllegalArgumentException.class, () -> TrainingCheckpoint.write(dir.resolve("x.safetensors"),
                student(), sgd(), Map.of(TrainingCheckpoint.FORMAT_KEY, "mine")));
        assertFalse(Files.exists(dir.resolve("x.safetensors")));
    }

    @Test
    void aCheckpointWithNonFiniteValuesOrOfAnotherArchitectureIsRefusedAndChangesNothing() throws IOException {
        ResNet trained = student();
        Sgd optimizer = sgd();
        loop(trained, optimizer).optimizer(optimizer, LearningRateSchedule.constant(0.1), 1).build().run();
        Path file = dir.resolve("c.safetensors");
        TrainingCheckpoint.write(file, trained, optimizer, Map.of());
        SafetensorsFile contents = Safetensors.read(file);
        Map<String, INDArray> damaged = new LinkedHashMap<>(contents.tensors());
        damaged.get(TrainingCheckpoint.MOMENTUM_PREFIX + "fc.bias").putScalar(3, Float.NaN);
        damaged.get("layer1.0.bn1.running_var").putScalar(0, Float.NEGATIVE_INFINITY);
        Path nan = dir.resolve("nan.safetensors");
        Safetensors.write(nan, damaged, contents.metadata());
        ResNet model = student();
        Sgd restored = sgd();
        float[] before = model.stateDict().get("layer1.0.bn1.running_var").dup().data().asFloat();

        StateDictMismatchException e = assertThrows(StateDictMismatchException.class,
                () -> TrainingCheckpoint.read(nan).restore(model, restored));

        assertEquals(List.of("layer1.0.bn1.running_var: 1 infinite of 4 values",
                TrainingCheckpoint.MOMENTUM_PREFIX + "fc.bias: 1 NaN of 10 values"), e.nonFinite());
        assertTrue(e.getMessage().startsWith(nan.toString()), e.getMessage());
        assertArrayEquals(before, model.stateDict().get("layer1.0.bn1.running_var").dup().data().asFloat());
        assertTrue(restored.momentumBuffers().isEmpty(), "no momentum restored");

        // the same names and shapes in an ANN: the checkpoint's architecture says it is not one
        ResNet ann = ResNet.builder().optDepth(20).optWidths(4, 8, 8).optBlocksPerStage(1).optClasses(CLASSES)
                .optSeed(3).build();
        StateDictMismatchException other = assertThrows(StateDictMismatchException.class,
                () -> TrainingCheckpoint.read(file).restore(ann, sgd()));
        assertEquals(java.util.Optional.of("spiking-resnet8, not a resnet8"), other.otherModel());
    }

    @Test
    void restoringABufferOfTheWrongShapeIsRefused() {
        ResNet model = student();
        INDArray wrong = org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 3);
        assertThrows(IllegalArgumentException.class,
                () -> sgd().restoreMomentum(model.parameters().get("fc.bias"), wrong));
    }

    private static void write(Path file, ResNet model, Sgd optimizer, Map<String, String> metadata) {
        try {
            TrainingCheckpoint.write(file, model, optimizer, metadata);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
