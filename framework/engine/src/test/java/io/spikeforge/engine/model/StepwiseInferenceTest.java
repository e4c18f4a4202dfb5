package io.spikeforge.engine.model;

import static io.spikeforge.engine.model.ModelTesting.copyOfState;
import static io.spikeforge.engine.model.ModelTesting.idsnnLif;
import static io.spikeforge.engine.model.ModelTesting.normal;
import static io.spikeforge.engine.model.ModelTesting.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.NeuronSteps;
import io.spikeforge.engine.energy.EnergyMeter;
import io.spikeforge.engine.energy.EnergyReport;
import io.spikeforge.engine.layer.SpikingActivation;
import io.spikeforge.testkit.neuron.ForwardingNeuronModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stepwise inference gives the logits of the all-T evaluation forward. Spikes are thresholds of
 * the same numbers up to rounding (each layer computes an image's values from that image alone,
 * whether the rows of one step or of all steps are in the batch; stepping folds each batch norm into
 * the convolution before it, which rounds differently within float precision), so in these models
 * they are equal, and the differences are that rounding and the time mean's: a running sum divided
 * by T against libnd4j's mean over the T rows. In DOUBLE that is below 1e-12; in FLOAT a few units in
 * the last place of the pooled features, 1e-5 relative after the classifier.
 */
class StepwiseInferenceTest {
    private static final int T = 5;

    private static ResNet.Builder resnet(DataType type) {
        return ResNet.builder().optDepth(20).optBlocksPerStage(1).optWidths(4, 8, 8).optClasses(5).optDataType(type)
                .optSpiking(idsnnLif(), T);
    }

    private static Vgg.Builder vgg(DataType type) {
        return Vgg.builder().optWidths(4, 4, 8, 8, 8, 8, 8, 8).optClasses(5).optDataType(type).optSpiking(idsnnLif(), T);
    }

    @Test
    void resnetLogitsEqualTheAllStepForward() {
        for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            for (BlockType block : BlockType.values()) {
                assertStepwiseMatches(resnet(type).optBlockType(block).build(), type);
            }
        }
    }

    @Test
    void vggLogitsEqualTheAllStepForward() {
        for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            for (Pooling2d.Mode pooling : Pooling2d.Mode.values()) {
                assertStepwiseMatches(vgg(type).optPooling(pooling).build(), type);
            }
        }
    }

    private static void assertStepwiseMatches(Model model, DataType type) {
        INDArray images = normal(3, type, 6, 3, 16, 16);
        // training forwards move the running statistics off their initial values, so that the
        // evaluation forward's batch norm is not the identity
        for (int i = 0; i < 3; i++) {
            model.forward(normal(10 + i, type, 6, 3, 16, 16), true);
        }
        Map<String, INDArray> before = copyOfState(model);
        double[] allSteps = values(model.forward(images, false));
        Map<String, Double> allStepRates = model.firingRates();
        StepwiseInference stepwise = StepwiseInference.of(model);
        List<Integer> told = new ArrayList<>();
        double[] stepped = values(stepwise.forward(images, true, told::add));
        assertEquals(List.of(1, 2, 3, 4, 5), told, "progress after every step");
        double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-5;
        String what = model.architecture() + " " + type;
        for (int i = 0; i < allSteps.length; i++) {
            assertEquals(allSteps[i], stepped[i], tolerance * Math.max(1, Math.abs(allSteps[i])), what + " logit " + i);
        }
        Map<String, Double> steppedRates = model.firingRates();
        assertEquals(allStepRates.keySet(), steppedRates.keySet());
        boolean someFire = false;
        for (String layer : allStepRates.keySet()) {
            assertEquals(allStepRates.get(layer), steppedRates.get(layer), 1e-12, what + " firing rate of " + layer);
            someFire |= allStepRates.get(layer) > 0 && allStepRates.get(layer) < 1;
        }
        assertTrue(someFire, what + ": no layer fires part of the time, so the comparison would be vacuous");
        before.forEach((name, value) -> assertEquals(value, model.stateDict().get(name), what + ": " + name));
        // the layers run all T steps again afterwards, and a second stepwise pass starts afresh
        assertArrayEquals(allSteps, values(model.forward(images, false)), 0, what + " all-T forward after stepping");
        assertArrayEquals(stepped, values(stepwise.forward(images, false, t -> { })), 0, what + " second stepwise pass");
    }

    @Test
    void theEnergyMeterCountsAStepwisePassAsAnAllStepForward() {
        ResNet model = resnet(DataType.DOUBLE).build();
        for (int i = 0; i < 3; i++) {
            model.forward(normal(10 + i, DataType.DOUBLE, 6, 3, 16, 16), true);
        }
        INDArray images = normal(3, DataType.DOUBLE, 6, 3, 16, 16);
        EnergyMeter meter = model.energy().orElseThrow();
        meter.start();
        model.forward(images, false);
        meter.stop();
        EnergyReport allSteps = meter.report();
        assertTrue(allSteps.accumulates() > 0, "the spiking layers accumulate");
        for (StepwiseInference stepwise : List.of(StepwiseInference.of(model), StepwiseInference.of(model, 4))) {
            meter.start();
            stepwise.forward(images, false, t -> { });
            meter.stop();
            EnergyReport stepped = meter.report();
            String what = "rows per part " + stepwise.rowsPerPart();
            assertEquals(6, meter.images(), what);
            assertEquals(allSteps.accumulates(), stepped.accumulates(), 1e-9 * allSteps.accumulates(), what);
            assertEquals(allSteps.multiplyAccumulates(), stepped.multiplyAccumulates(),
                    1e-9 * allSteps.multiplyAccumulates(), what);
        }
    }

    @Test
    void batchesOfAnotherSizeStepToo() {
        ResNet model = resnet(DataType.DOUBLE).build();
        StepwiseInference stepwise = StepwiseInference.of(model);
        for (int batch : new int[] {4, 1}) {
            INDArray images = normal(batch, DataType.DOUBLE, batch, 3, 8, 8);
            assertArrayEquals(values(model.forward(images, false)), values(stepwise.forward(images, false, t -> { })),
                    1e-12, "batch " + batch);
        }
    }

    @Test
    void theLayersShareAFewStepBuffers() {
        ResNet model = resnet(DataType.DOUBLE).build();
        StepwiseInference stepwise = StepwiseInference.of(model);
        INDArray images = normal(3, DataType.DOUBLE, 6, 3, 16, 16);
        stepwise.forward(images, false, t -> { });
        long bytes = stepwise.stepBufferBytes();
        // the stages' maps [6, 4, 16, 16], [6, 8, 8, 8], [6, 8, 4, 4]: at most three of each alive
        // at once (a projecting block's input, main path and shortcut), where a buffer per layer
        // would be ten of the first stage's alone
        long stages = 6L * (4 * 16 * 16 + 8 * 8 * 8 + 8 * 4 * 4) * Double.BYTES;
        assertTrue(bytes > 0 && bytes <= 3 * stages, bytes + " bytes of step buffers");
        stepwise.forward(images, false, t -> { });
        assertEquals(bytes, stepwise.stepBufferBytes(), "a second pass reuses the buffers");
    }

    @Test
    void aBatchSteppedInPartsGivesTheWholeBatchsLogitsAndRates() {
        for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            assertPartsMatch(resnet(type).build(), type, 3);
            assertPartsMatch(vgg(type).build(), type, 3);
        }
        // neurons whose steps cannot restart start anew for every part
        NeuronFactory withoutRestart = (name, type) -> new StepsWithoutRestart(idsnnLif().create(name, type));
        assertPartsMatch(ResNet.builder().optDepth(20).optBlocksPerStage(1).optWidths(4, 8, 8).optClasses(5)
                .optDataType(DataType.DOUBLE).optSpiking(withoutRestart, T).build(), DataType.DOUBLE, 2);
    }

    /** Seven images in parts of at most {@code rowsPerPart} rows against the whole batch stepped at once. */
    private static void assertPartsMatch(Model model, DataType type, int rowsPerPart) {
        for (int i = 0; i < 3; i++) {
            model.forward(normal(10 + i, type, 7, 3, 16, 16), true);
        }
        INDArray images = normal(4, type, 7, 3, 16, 16);
        double[] whole = values(StepwiseInference.of(model).forward(images, true, t -> { }));
        Map<String, Double> wholeRates = model.firingRates();
        StepwiseInference inParts = StepwiseInference.of(model, rowsPerPart);
        int parts = (7 + rowsPerPart - 1) / rowsPerPart;
        assertEquals((long) parts * T, inParts.stepsPerPass(7));
        List<Integer> told = new ArrayList<>();
        double[] parted = values(inParts.forward(images, true, told::add));
        assertEquals(IntStream.rangeClosed(1, parts * T).boxed().toList(), told, "progress over all parts");
        // another batch size may round differently in the kernels (oneDNN picks its kernels per shape)
        double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-5;
        String what = model.architecture() + " " + type + " in parts of " + rowsPerPart;
        assertEquals(whole.length, parted.length, what);
        for (int i = 0; i < whole.length; i++) {
            assertEquals(whole[i], parted[i], tolerance * Math.max(1, Math.abs(whole[i])), what + " logit " + i);
        }
        Map<String, Double> partedRates = model.firingRates();
        assertEquals(wholeRates.keySet(), partedRates.keySet());
        for (String layer : wholeRates.keySet()) {
            assertEquals(wholeRates.get(layer), partedRates.get(layer), 1e-12, what + ": the rate of " + layer
                    + " counts every row");
        }
        assertArrayEquals(parted, values(inParts.forward(images, false, t -> { })), 0, what + ": a second pass");
    }

    @Test
    void partsHoldTheStepBuffersOfOnePart() {
        ResNet model = resnet(DataType.DOUBLE).build();
        INDArray images = normal(3, DataType.DOUBLE, 6, 3, 16, 16);
        StepwiseInference whole = StepwiseInference.of(model);
        whole.forward(images, false, t -> { });
        StepwiseInference inParts = StepwiseInference.of(model, 2);
        inParts.forward(images, false, t -> { });
        assertEquals(whole.stepBufferBytes() / 3, inParts.stepBufferBytes(), "three parts of two rows");
        // a smaller last part frees the full parts' buffers rather than adding its own
        inParts.forward(normal(4, DataType.DOUBLE, 5, 3, 16, 16), false, t -> { });
        assertEquals(whole.stepBufferBytes() / 6, inParts.stepBufferBytes(), "the last part's one row");
        assertThrows(IllegalArgumentException.class, () -> StepwiseInference.of(model, 0));
        assertEquals(2, inParts.rowsPerPart());
    }

    @Test
    void onlyASteppingLayerRestartsItsSteps() {
        ResNet model = resnet(DataType.DOUBLE).build();
        SpikingActivation layer = (SpikingActivation) model.layers().values().stream()
                .filter(SpikingActivation.class::isInstance).findFirst().orElseThrow();
        assertThrows(IllegalStateException.class, layer::restartSteps);
    }

    @Test
    void modelsThatCannotStepSaySo() {
        ResNet ann = ResNet.builder().optDepth(20).optBlocksPerStage(1).optWidths(4, 8, 8).build();
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> StepwiseInference.of(ann));
        assertTrue(thrown.getMessage().contains("not a spiking network"), thrown.getMessage());

        NeuronFactory withoutSteps = (name, type) -> new AllStepsOnly(idsnnLif().create(name, type));
        ResNet spiking = ResNet.builder().optDepth(20).optBlocksPerStage(1).optWidths(4, 8, 8)
                .optSpiking(withoutSteps, 2).build();
        String reason = StepwiseInference.unsupported(spiking).orElseThrow();
        assertTrue(reason.contains("no single-step mode"), reason);
        assertTrue(StepwiseInference.unsupported(resnet(DataType.FLOAT).build()).isEmpty());
        SpikingActivation layer = (SpikingActivation) spiking.layers().values().stream()
                .filter(SpikingActivation.class::isInstance).findFirst().orElseThrow();
        assertThrows(UnsupportedOperationException.class, () -> layer.startSteps(false));
    }

    @Test
    void steppingLayersRefuseTraining() {
        ResNet model = resnet(DataType.DOUBLE).build();
        SpikingActivation layer = (SpikingActivation) model.layers().values().stream()
                .filter(SpikingActivation.class::isInstance).findFirst().orElseThrow();
        layer.startSteps(false);
        INDArray current = normal(1, DataType.DOUBLE, 2, 4, 3, 3);
        assertThrows(IllegalStateException.class, () -> layer.forward(current, true));
        assertEquals(2 * 4 * 3 * 3, layer.forward(current, false).length());
        layer.stopSteps();
    }

    /** A neuron whose steps cannot restart: the default of {@link NeuronSteps#restart()}. */
    private static final class StepsWithoutRestart extends ForwardingNeuronModel {
        StepsWithoutRestart(NeuronModel inner) {
            super(inner);
        }

        @Override
        public Optional<NeuronSteps> startSteps() {
            NeuronSteps inner = super.startSteps().orElseThrow();
            return Optional.of(new NeuronSteps() {
                @Override
                public INDArray step(INDArray current) {
                    return inner.step(current);
                }

                @Override
                public int stepsTaken() {
                    return inner.stepsTaken();
                }

                @Override
                public void close() {
                    inner.close();
                }
            });
        }
    }

    /** A neuron that runs all T steps only: the default of {@link NeuronModel#startSteps()}. */
    private static final class AllStepsOnly extends ForwardingNeuronModel {
        AllStepsOnly(NeuronModel inner) {
            super(inner);
        }

        @Override
        public Optional<NeuronSteps> startSteps() {
            return Optional.empty();
        }
    }
}
