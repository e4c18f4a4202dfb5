package io.spikeforge.engine.model;

import static io.spikeforge.engine.model.ModelTesting.idsnnLif;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.engine.energy.EnergyMeter;
import io.spikeforge.engine.energy.EnergyReport;
import io.spikeforge.engine.energy.LayerOperations;
import io.spikeforge.engine.energy.OperationCounter;
import io.spikeforge.engine.energy.SignalKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Operation counts of evaluated models: by hand on a tiny spiking ResNet whose neurons emit spikes
 * fixed in advance, by the known formula for an ANN ResNet-18, and the guarantee that counting
 * changes no output.
 */
class ModelEnergyTest {
    private static final int T = 2;
    private static final int BATCH = 2;

    /**
     * Neurons that ignore their input current and fire at every {@code every}-th element of the
     * time-major output (c order), so each layer's spike count is known: {@code ceil(length / every)}.
     */
    private record ScriptedNeuron(int every) implements NeuronModel {
        @Override
        public INDArray forward(INDArray current, int timeSteps, boolean training) {
            INDArray spikes = Nd4j.zeros(current.dataType(), current.shape());
            INDArray flat = spikes.reshape(spikes.length());
            for (long i = 0; i < flat.length(); i += every) {
                flat.putScalar(i, 1);
            }
            return spikes;
        }

        @Override
        public INDArray backward(INDArray gradSpikes) {
            throw new UnsupportedOperationException("evaluation only");
        }

        @Override
        public void clear() {
        }

        @Override
        public OptionalDouble threshold() {
            return OptionalDouble.of(0.5);
        }
    }

    /** A ResNet on 1 x 4 x 4 images, widths 2/4 with one block each (the second strides by 2), 3 classes. */
    private static ResNet tiny(BlockType type, Map<String, Integer> every) {
        return ResNet.builder().optInputChannels(1).optWidths(2, 4).optBlocksPerStage(1).optClasses(3)
                .optBlockType(type).optSpiking((layer, dataType) -> new ScriptedNeuron(every.getOrDefault(layer, 1)), T).build();
    }

    private static Map<String, Integer> firingPattern() {
        Map<String, Integer> every = new LinkedHashMap<>();
        every.put("sn1", 2);
        every.put("layer1.0.sn1", 4);
        every.put("layer1.0.sn2", 8);
        every.put("layer2.0.sn1", 3);
        return every;
    }

    private static EnergyReport measure(Model model, INDArray images) {
        EnergyMeter meter = model.energy().orElseThrow();
        meter.start();
        model.forward(images, false);
        meter.stop();
        return meter.report();
    }

    private static Map<String, LayerOperations> byLayer(EnergyReport report) {
        Map<String, LayerOperations> layers = new LinkedHashMap<>();
        report.layers().forEach(layer -> layers.put(layer.layer(), layer));
        return layers;
    }

    /**
     * Two images, T = 2, so spiking tensors have 4 rows. Per-batch counts, halved per image:
     * <ul>
     *   <li>{@code conv1}, the encoding stem, runs once on the real image: 2 x 4x4 outputs x 1 x 3x3 =
     *       288 MACs per image (not 2 x 288: it is repeated over T, not recomputed);</li>
     *   <li>{@code layer1.0.conv1} (2 to 2 channels, stride 1: 18 synapses per input, = 576 MACs /
     *       32 inputs) on sn1's 128 outputs, every 2nd a spike: 64 x 18 = 1152, 576 per image;</li>
     *   <li>{@code layer1.0.conv2} on layer1.0.sn1's every 4th: 32 x 18 = 576, 288 per image;</li>
     *   <li>{@code layer2.0.conv1} (2 to 4, stride 2: 4 x 2x2 x 2 x 9 = 288 MACs over 32 inputs,
     *       9 per input) on layer1.0.sn2's every 8th: 16 x 9 = 144, 72 per image;</li>
     *   <li>{@code layer2.0.conv2} (4 to 4 on 2x2: 576 MACs over 16 inputs, 36 each) on
     *       layer2.0.sn1's 64 outputs, every 3rd (22 spikes): 792, 396 per image;</li>
     *   <li>{@code layer2.0.downsample.0} (1x1, stride 2: 32 MACs over 32 inputs) on the same 16
     *       spikes as layer2.0.conv1: 8 per image;</li>
     *   <li>{@code fc} on the mean over time, real: 4 x 3 = 12 MACs per image.</li>
     * </ul>
     */
    @Test
    void aSpikingResNetCountsEachSpikeTimesItsFanOutAndTheEncodingAndClassifierAsMacs() {
        ResNet model = tiny(BlockType.SPIKING_BASIC, firingPattern());

        EnergyReport report = measure(model, Nd4j.rand(DataType.FLOAT, BATCH, 1, 4, 4));

        Map<String, LayerOperations> layers = byLayer(report);
        assertEquals(List.of("conv1", "layer1.0.conv1", "layer1.0.conv2", "layer2.0.conv1", "layer2.0.conv2",
                "layer2.0.downsample.0", "fc"), List.copyOf(layers.keySet()));
        assertEquals(new LayerOperations("conv1", 0, 288), layers.get("conv1"));
        assertEquals(new LayerOperations("layer1.0.conv1", 576, 0), layers.get("layer1.0.conv1"));
        assertEquals(new LayerOperations("layer1.0.conv2", 288, 0), layers.get("layer1.0.conv2"));
        assertEquals(new LayerOperations("layer2.0.conv1", 72, 0), layers.get("layer2.0.conv1"));
        assertEquals(new LayerOperations("layer2.0.conv2", 396, 0), layers.get("layer2.0.conv2"));
        assertEquals(new LayerOperations("layer2.0.downsample.0", 8, 0), layers.get("layer2.0.downsample.0"));
        assertEquals(new LayerOperations("fc", 0, 12), layers.get("fc"));
        assertEquals(T, report.timeSteps());
        assertEquals(576 + 288 + 72 + 396 + 8, report.accumulates(), 0);
        assertEquals(288 + 12, report.multiplyAccumulates(), 0);
        assertEquals((0.9 * 1340 + 4.6 * 300) * 1e-9, report.millijoules(), 1e-18);
    }

    /**
     * In a SEW block the output is the main path's spikes plus the shortcut's: layer1.0's output is
     * layer1.0.sn2's 16 spikes plus the identity's, sn1's 64, a sum of 80 (values 0, 1 or 2), each
     * unit an accumulate: layer2.0.conv1 80 x 9 = 720, 360 per image; downsample.0 80, 40 per image.
     */
    @Test
    void aSewBlocksSumCountsOneAccumulatePerSpikeItAdds() {
        ResNet model = tiny(BlockType.SEW_ADD, firingPattern());

        Map<String, LayerOperations> layers = byLayer(measure(model, Nd4j.rand(DataType.FLOAT, BATCH, 1, 4, 4)));

        assertEquals(new LayerOperations("layer1.0.conv1", 576, 0), layers.get("layer1.0.conv1"));
        assertEquals(new LayerOperations("layer2.0.conv1", 360, 0), layers.get("layer2.0.conv1"));
        assertEquals(new LayerOperations("layer2.0.downsample.0", 40, 0), layers.get("layer2.0.downsample.0"));
        Map<String, SignalKind> inputs = new LinkedHashMap<>();
        model.energy().orElseThrow().counters().forEach(c -> inputs.put(c.layer(), c.input()));
        assertEquals(SignalKind.SPIKE_COUNTS, inputs.get("layer2.0.conv1"));
        assertEquals(SignalKind.SPIKES, inputs.get("layer1.0.conv1"));
    }

    /**
     * CIFAR ResNet-18 (3x3 stem, no max-pooling) on 32x32: stem 64*3*9*32^2; layer1 four 64-to-64
     * convolutions at 32x32; layers 2 to 4 each a strided convolution, three at the stage's width
     * and a 1x1 projection at the stage's map size; fc 512*10. 555,422,720 MACs, the usual 0.56 G.
     */
    @Test
    void annResNet18On32x32DoesItsKnownMultiplyAccumulates() {
        ResNet model = ResNet.builder().optDepth(18).optClasses(10).build();
        long expected = 64L * 3 * 9 * 32 * 32 + 4 * (64L * 64 * 9 * 32 * 32);
        int[] widths = {64, 128, 256, 512};
        for (int s = 1; s < 4; s++) {
            long side = 32 >> s;
            long in = widths[s - 1];
            long out = widths[s];
            expected += (out * in * 9 + 3 * out * out * 9 + out * in) * side * side;
        }
        expected += 512 * 10;
        assertEquals(555_422_720L, expected);

        EnergyReport report = measure(model, Nd4j.rand(DataType.FLOAT, BATCH, 3, 32, 32));

        assertEquals(expected, report.multiplyAccumulates(), 0);
        assertEquals(0, report.accumulates());
        assertEquals(1 + 16 + 3 + 1, report.layers().size());
        assertEquals(1, report.timeSteps());
        assertEquals(expected * 4.6e-9, report.millijoules(), 1e-9);
    }

    /** Average pooling of spikes gives fractions: the next convolution counts MACs; max pooling keeps spikes. */
    @Test
    void aConvolutionAfterAveragePoolingOfSpikesCountsMacs() {
        for (Pooling2d.Mode mode : Pooling2d.Mode.values()) {
            Vgg model = Vgg.builder().optDepth(11).optWidths(2, 2, 2, 2, 2, 2, 2, 2).optPooling(mode)
                    .optSpiking(idsnnLif(), T).build();
            List<OperationCounter> counters = model.energy().orElseThrow().counters();
            assertEquals(SignalKind.REAL, counters.get(0).input(), "the encoding stem");
            assertEquals(mode == Pooling2d.Mode.MAX ? SignalKind.SPIKES : SignalKind.REAL, counters.get(1).input(),
                    "features.4, after the first pooling");
            assertEquals(SignalKind.SPIKES, counters.get(3).input(), "the second convolution of a group");
            assertEquals(SignalKind.REAL, counters.get(counters.size() - 1).input(), "the classifier");
        }
    }

    @Test
    void countingChangesNoOutputAndTrainingForwardsCountNothing() {
        ResNet model = ResNet.builder().optDepth(8).optWidths(4, 8, 8).optClasses(5).optBlockType(BlockType.SEW_ADD)
                .optSpiking(idsnnLif(), 3).optDataType(DataType.DOUBLE).build();
        INDArray images = ModelTesting.normal(7, DataType.DOUBLE, BATCH, 3, 8, 8);
        INDArray uncounted = model.forward(images, false).dup();
        EnergyMeter meter = model.energy().orElseThrow();

        meter.start();
        INDArray counted = model.forward(images, false).dup();
        meter.stop();

        assertEquals(uncounted, counted);
        assertEquals(BATCH, meter.images());
        assertTrue(meter.report().accumulates() > 0, "the LIF neurons fire on normal inputs");
        meter.start();
        model.forward(images, true);
        meter.stop();
        assertEquals(0, meter.images());
        assertThrows(IllegalStateException.class, meter::report);
        model.forward(images, false);
        assertEquals(0, meter.images(), "outside a measurement");
    }
}
