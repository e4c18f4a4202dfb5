package io.spikeforge.engine.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.convert.ConversionError;
import io.spikeforge.api.convert.ThresholdGranularity;
import io.spikeforge.api.convert.ThresholdStrategy;
import io.spikeforge.engine.energy.EnergyReport;
import io.spikeforge.engine.model.Model;
import io.spikeforge.engine.model.ResNet;
import io.spikeforge.engine.model.Vgg;
import io.spikeforge.testkit.neuron.LifTestNeuron;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ConversionTest {
    @TempDir
    Path folder;

    @Test
    void foldedResNetGivesTheAnnLogits() {
        for (DataType dataType : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            Model ann = ConversionFixtures.tinyResNet(dataType, 1);
            INDArray images = ConversionFixtures.images(2, 4, 8, dataType);
            INDArray expected = ann.forward(images, false).dup();
            INDArray folded = Conversion.of(ann).annLogits(images);
            assertArrayEquals(expected.reshape(-1).toDoubleVector(), folded.reshape(-1).toDoubleVector(),
                    dataType == DataType.DOUBLE ? 1e-12 : 1e-5, dataType.toString());
        }
    }

    @Test
    void foldedVggGivesTheAnnLogits() {
        for (DataType dataType : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            Model ann = ConversionFixtures.tinyVgg(dataType, 2);
            INDArray images = ConversionFixtures.images(3, 4, 9, dataType);
            INDArray expected = ann.forward(images, false).dup();
            assertArrayEquals(expected.reshape(-1).toDoubleVector(),
                    Conversion.of(ann).annLogits(images).reshape(-1).toDoubleVector(),
                    dataType == DataType.DOUBLE ? 1e-12 : 1e-5, dataType.toString());
        }
    }

    @Test
    void sitesAreNamedAsSpikingJellyNamesTheNeurons() {
        Conversion conversion = Conversion.of(ConversionFixtures.tinyResNet(DataType.FLOAT, 1));
        assertEquals(List.of("sn1", "layer1.0.sn1", "layer1.0.sn2", "layer2.0.sn1", "layer2.0.sn2"),
                conversion.sites(NeuronPlacement.AFTER_ADDITION));
        assertEquals(List.of("sn1", "layer1.0.sn1", "layer1.0.shortcut_sn", "layer1.0.sn2", "layer2.0.sn1",
                "layer2.0.shortcut_sn", "layer2.0.sn2"), conversion.sites(NeuronPlacement.SHORTCUT_NEURON));
        assertEquals(List.of("sn1", "layer1.0.sn1", "layer1.0.main_sn", "layer1.0.shortcut_sn", "layer1.0.sn2",
                "layer2.0.sn1", "layer2.0.main_sn", "layer2.0.shortcut_sn", "layer2.0.sn2"),
                conversion.sites(NeuronPlacement.BRANCH_NEURONS));
        assertEquals(List.of("features.2", "features.6", "features.10", "features.13", "features.17", "features.20",
                "features.24", "features.27"),
                Conversion.of(ConversionFixtures.tinyVgg(DataType.FLOAT, 1)).sites(NeuronPlacement.AFTER_ADDITION));
    }

    @Test
    void refusesMaxPoolingAndSpikingModels() {
        Vgg maxPooled = Vgg.builder().optWidths(2, 2, 2, 2, 2, 2, 2, 2).optInputChannels(1).build();
        IllegalArgumentException max = assertThrows(IllegalArgumentException.class, () -> Conversion.of(maxPooled));
        assertTrue(max.getMessage().startsWith("features.3: max pooling cannot be converted"), max.getMessage());
        ResNet spiking = ResNet.builder().optWidths(2).optBlocksPerStage(1)
                .optSpiking((name, type) -> LifTestNeuron.builder().build(), 2).build();
        IllegalArgumentException snn = assertThrows(IllegalArgumentException.class, () -> Conversion.of(spiking));
        assertTrue(snn.getMessage().contains("already spiking"), snn.getMessage());
    }

    @Test
    void calibrationVisitsTheSitesInForwardOrderWithTheAnnActivationsOfAllBatches() {
        Model ann = ConversionFixtures.tinyResNet(DataType.DOUBLE, 5);
        Conversion conversion = Conversion.of(ann);
        List<INDArray> batches = List.of(ConversionFixtures.images(1, 3, 6, DataType.DOUBLE),
                ConversionFixtures.images(2, 2, 6, DataType.DOUBLE));
        ConversionFixtures.RecordingStrategy strategy =
                new ConversionFixtures.RecordingStrategy(new ConversionFixtures.MaxStrategy());
        List<String> progress = new ArrayList<>();
        ConversionSettings settings = ConversionSettings.builder().optGranularity(ThresholdGranularity.CHANNEL)
                .optPlacement(NeuronPlacement.BRANCH_NEURONS).optCalibrationTimeSteps(5).build();
        SpikingConversion converted = conversion.convert(settings, strategy, batches,
                (done, total, item) -> progress.add(done + "/" + total + " " + item));

        List<String> sites = conversion.sites(NeuronPlacement.BRANCH_NEURONS);
        assertEquals(sites, strategy.calls.stream().map(ConversionFixtures.RecordingStrategy.Call::layer).toList());
        assertEquals("1/9 sn1", progress.get(0));
        assertEquals("9/9 layer2.0.sn2", progress.get(8));
        long[][] shapes = {{5, 3, 6, 6}, {5, 3, 6, 6}, {5, 3, 6, 6}, {5, 3, 6, 6}, {5, 3, 6, 6},
            {5, 4, 3, 3}, {5, 4, 3, 3}, {5, 4, 3, 3}, {5, 4, 3, 3}};
        for (int i = 0; i < sites.size(); i++) {
            ConversionFixtures.RecordingStrategy.Call call = strategy.calls.get(i);
            assertArrayEquals(shapes[i], call.shape(), call.layer());
            assertEquals(shapes[i][1], call.thresholdCount(), call.layer());
            assertEquals(5, call.timeSteps());
        }
        // the first site's ANN activations are relu(bn1(conv1(images))) of the ANN itself
        INDArray stem = Nd4j.concat(0, batches.stream().map(b -> firstActivation(ann, b)).toArray(INDArray[]::new));
        INDArray recorded = strategy.calls.get(0).thresholds();
        assertEquals(stem.maxNumber().doubleValue(), Nd4j.max(recorded).getDouble(0), 1e-12);
        assertEquals(sites, List.copyOf(converted.thresholds().keySet()));
    }

    private static INDArray firstActivation(Model ann, INDArray images) {
        ResNet resNet = (ResNet) ann;
        INDArray x = images;
        for (var layer : resNet.parts().get(0).children()) {
            x = layer.forward(x, false);
        }
        return x.dup();
    }

    @Test
    void measureFollowsTheDefinitionsOnAHandComputedCase() {
        // two neurons, T = 4, f = 0.5, theta = 1: a = 0.3 and 1.7; currents 0.3 at every step, and 0, 0, 0, 2
        ConversionSettings settings = ConversionSettings.builder().optCalibrationTimeSteps(4).build();
        INDArray ann = Nd4j.createFromArray(new double[][] {{0.3, 1.7}});
        INDArray currents = Nd4j.createFromArray(new double[][] {{0.3, 0}, {0.3, 0}, {0.3, 0}, {0.3, 2}});
        // per layer: q_4(0.3) = 0.25, q_4(1.7) = 1 (clipped); spikes: 1 (at step 2) and 1 (at step 4),
        // r = 0.25 both; mean currents 0.3 and 0.5, q_4 = 0.25 and 0.5
        SiteCalibration layer = new SiteCalibration(new Node.Site("s", null, false, 2, java.util.OptionalDouble.empty()),
                settings, List.of(ann.reshape(1, 2, 1, 1)), List.of(currents.reshape(4, 2, 1, 1)), DataType.DOUBLE);
        ConversionError error = layer.measure(Nd4j.createFromArray(1.0));
        assertArrayEquals(new double[] {(0.05 * 0.05 + 0.7 * 0.7) / 2}, error.quantization(), 1e-12);
        assertArrayEquals(new double[] {(0 + 0.25 * 0.25) / 2}, error.deviation(), 1e-12);

        SiteCalibration perChannel = new SiteCalibration(new Node.Site("s", null, false, 2,
                java.util.OptionalDouble.empty()), ConversionSettings.builder().optCalibrationTimeSteps(4)
                .optGranularity(ThresholdGranularity.CHANNEL).build(), List.of(ann), List.of(currents), DataType.DOUBLE);
        // theta 2 for the second channel: q_4(1.7) = 0.5 * floor(3.4 + 0.5) = 1.5; its currents give one
        // spike (v = 1, 1, 1, 3) so r = 0.5, and q_4(0.5) = 0.5 * floor(1 + 0.5) = 0.5
        ConversionError channels = perChannel.measure(Nd4j.createFromArray(1.0, 2.0));
        assertArrayEquals(new double[] {0.05 * 0.05, 0.2 * 0.2}, channels.quantization(), 1e-12);
        assertArrayEquals(new double[] {0, 0}, channels.deviation(), 1e-12);

        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> perChannel.measure(Nd4j.createFromArray(1.0)));
        assertEquals("s: expected 2 thresholds as [2], got [1]", count.getMessage());
        assertThrows(IllegalArgumentException.class, () -> layer.measure(Nd4j.createFromArray(0.0)));
        assertThrows(IllegalArgumentException.class, () -> layer.measure(Nd4j.createFromArray(Double.NaN)));
    }

    @Test
    void measureIsTheSameRepeatedAndOverBatchesAsOverTheirConcatenation() {
        ConversionSettings settings = ConversionSettings.builder().optCalibrationTimeSteps(3)
                .optGranularity(ThresholdGranularity.CHANNEL).build();
        Node.Site site = new Node.Site("s", null, true, 2, java.util.OptionalDouble.empty());
        java.util.Random random = new java.util.Random(3);
        INDArray ann = signedUniform(random, 5, 2, 3, 3);
        INDArray first = signedUniform(random, 9, 2, 3, 3);
        INDArray second = signedUniform(random, 6, 2, 3, 3);
        // currents are time-major per batch: rows t*N .. t*N+N-1; the concatenation interleaves them so
        INDArray joined = Nd4j.create(DataType.DOUBLE, 15, 2, 3, 3);
        for (int t = 0; t < 3; t++) {
            joined.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(5 * t, 5 * t + 3))
                    .assign(first.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(3 * t, 3 * t + 3)));
            joined.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(5 * t + 3, 5 * t + 5))
                    .assign(second.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2 * t, 2 * t + 2)));
        }
        INDArray a = Nd4j.createFromArray(0.7, 1.3);
        INDArray b = Nd4j.createFromArray(0.2, 2.5);
        try (SiteCalibration split = new SiteCalibration(site, settings,
                List.of(ann.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3)).dup(),
                        ann.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 5)).dup()),
                List.of(first, second), DataType.DOUBLE);
             SiteCalibration whole = new SiteCalibration(site, settings, List.of(ann), List.of(joined),
                     DataType.DOUBLE)) {
            ConversionError atA = split.measure(a);
            ConversionError atB = split.measure(b);
            ConversionError again = split.measure(a);
            assertArrayEquals(atA.quantization(), again.quantization(), 0.0);
            assertArrayEquals(atA.deviation(), again.deviation(), 0.0);
            ConversionError wholeAtB = whole.measure(b);
            assertArrayEquals(wholeAtB.quantization(), atB.quantization(), 1e-12);
            assertArrayEquals(wholeAtB.deviation(), atB.deviation(), 1e-12);
            assertTrue(atB.deviation()[0] > 0 && atA.quantization()[1] > 0, "a case with errors to compare");
        }
    }

    /** Entries uniform in [-0.6, 1.4). */
    private static INDArray signedUniform(java.util.Random random, long... shape) {
        double[] values = new double[(int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        java.util.Arrays.setAll(values, i -> 2 * (random.nextDouble() - 0.3));
        return Nd4j.create(values, shape, DataType.DOUBLE);
    }

    @Test
    void calibrationFreesWhatItDerivedForEachSiteOnceTheSiteIsSet() {
        Conversion conversion = Conversion.of(ConversionFixtures.tinyResNet(DataType.FLOAT, 5));
        List<INDArray> batches = List.of(ConversionFixtures.images(1, 3, 6, DataType.FLOAT),
                ConversionFixtures.images(2, 2, 6, DataType.FLOAT));
        List<INDArray> seen = new ArrayList<>();
        ThresholdStrategy max = new ConversionFixtures.MaxStrategy();
        conversion.convert(ConversionSettings.builder().optCalibrationTimeSteps(4).build(), layer -> {
            seen.add(layer.annActivations());
            return max.thresholds(layer);
        }, batches, ConversionProgress.NONE);
        assertEquals(conversion.sites(NeuronPlacement.AFTER_ADDITION).size(), seen.size());
        for (INDArray activations : seen) {
            // the concatenation of two batches' activations: native memory, released without the JVM's collector
            assertTrue(activations.wasClosed(), "not freed after calibration");
        }
        assertTrue(batches.stream().noneMatch(INDArray::wasClosed), "the caller's images stay open");
    }

    @Test
    void badThresholdsNameTheStrategyAndTheLayer() {
        Conversion conversion = Conversion.of(ConversionFixtures.tinyResNet(DataType.FLOAT, 1));
        List<INDArray> batches = List.of(ConversionFixtures.images(1, 2, 6, DataType.FLOAT));
        ConversionSettings settings = ConversionSettings.builder().build();
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> conversion.convert(
                settings, layer -> Nd4j.createFromArray(-1.0), batches, ConversionProgress.NONE));
        assertTrue(negative.getMessage().matches("threshold strategy \\S+ returned bad thresholds for sn1: threshold"
                + " must be positive and finite, got -1.0"), negative.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> conversion.convert(
                settings, layer -> Nd4j.createFromArray(1.0, 2.0), batches, ConversionProgress.NONE));
        assertTrue(count.getMessage().endsWith("for sn1: expected 1 threshold as [1], got [2]"), count.getMessage());
        IllegalArgumentException rejected = assertThrows(IllegalArgumentException.class, () -> conversion.convert(
                settings, layer -> {
                    throw new IllegalArgumentException("no activation threshold");
                }, batches, ConversionProgress.NONE));
        assertTrue(rejected.getMessage().endsWith("rejected sn1: no activation threshold"), rejected.getMessage());
    }

    @Test
    void theErrorAnalysisAtTheCalibrationStepsRepeatsWhatCalibrationMeasured() {
        Model ann = ConversionFixtures.tinyResNet(DataType.DOUBLE, 9);
        List<INDArray> batches = List.of(ConversionFixtures.images(4, 3, 6, DataType.DOUBLE),
                ConversionFixtures.images(5, 3, 6, DataType.DOUBLE));
        ConversionFixtures.RecordingStrategy strategy =
                new ConversionFixtures.RecordingStrategy(new ConversionFixtures.MaxStrategy());
        SpikingConversion converted = Conversion.of(ann).convert(ConversionSettings.builder()
                .optCalibrationTimeSteps(6).optPlacement(NeuronPlacement.SHORTCUT_NEURON).build(), strategy, batches,
                ConversionProgress.NONE);
        List<ConversionErrorRow> rows = converted.analyseErrors(batches, new int[] {6, 2});
        assertEquals(2 * converted.sites().size(), rows.size());
        for (int i = 0; i < converted.sites().size(); i++) {
            ConversionErrorRow atTwo = rows.get(i);
            ConversionErrorRow atSix = rows.get(converted.sites().size() + i);
            assertEquals(2, atTwo.timeSteps());
            assertEquals(6, atSix.timeSteps());
            ConversionFixtures.RecordingStrategy.Call call = strategy.calls.get(i);
            assertEquals(call.layer(), atSix.layer());
            assertEquals(call.error().quantization()[0], atSix.quantizationError(), 1e-12, call.layer());
            assertEquals(call.error().deviation()[0], atSix.deviationError(), 1e-12, call.layer());
            assertEquals(call.thresholds().getDouble(0), atSix.meanThreshold(), 1e-12);
            assertTrue(atSix.firingRate() > 0 && atSix.firingRate() <= 1, atSix.toString());
            assertTrue(atSix.inputVariance() >= 0, atSix.toString());
        }
        // the first site's input is the constant encoding current: no variance over time, no deviation
        assertEquals(0, rows.get(0).inputVariance(), 1e-12);
        assertEquals(0, rows.get(0).deviationError(), 1e-12);
        assertTrue(rows.get(rows.size() - 1).inputVariance() > 0);
    }

    @Test
    void evaluationKeepsOneStepOfStateAndReportsEveryRequestedT() {
        Model ann = ConversionFixtures.tinyResNet(DataType.FLOAT, 2);
        INDArray images = ConversionFixtures.images(3, 5, 6, DataType.FLOAT);
        SpikingConversion converted = Conversion.of(ann).convert(ConversionSettings.builder().build(),
                new ConversionFixtures.MaxStrategy(), List.of(images), ConversionProgress.NONE);
        ConversionEvaluation evaluation = converted.evaluate(ReferenceConversionTest.batches(images),
                new int[] {64, 1, 8}, ConversionProgress.NONE);
        assertEquals(List.of(1, 8, 64), List.copyOf(evaluation.accuracy().keySet()));
        assertEquals(5, evaluation.images());
        for (Node.Site site : converted.network().sites()) {
            assertEquals(5, site.neurons().membrane().size(0), "state of one step only: " + site.name());
        }
        EnergyReport at8 = evaluation.energy().get(8);
        EnergyReport at64 = evaluation.energy().get(64);
        assertEquals(8, at8.timeSteps());
        assertEquals(3 * 1 * 9 * 36.0, at8.multiplyAccumulates(), 1e-6, "the stem's MACs once per image");
        assertEquals(at8.multiplyAccumulates(), at64.multiplyAccumulates(), 1e-6, "whatever T");
        assertTrue(at64.accumulates() > at8.accumulates());
        assertEquals(converted.sites(), List.copyOf(evaluation.firingRates().keySet()));
    }

    @Test
    void annEnergyCountsEveryMultiplyAccumulateOnce() {
        Conversion conversion = Conversion.of(ConversionFixtures.tinyResNet(DataType.FLOAT, 1));
        SpikingConversion converted = conversion.withThresholds(ConversionSettings.builder().build(),
                Map.of("sn1", one(), "layer1.0.sn1", one(), "layer1.0.sn2", one(), "layer2.0.sn1", one(),
                        "layer2.0.sn2", one()));
        EnergyReport ann = converted.annEnergy(6, 6);
        // conv1 1->3 at 6x6; layer1: two 3->3 at 6x6; layer2: 3->4 stride 2 (3x3), 4->4 (3x3), 1x1 projection; fc 4->3
        double expected = 3 * 9 * 36 + 2 * 3 * 3 * 9 * 36 + 4 * 3 * 9 * 9 + 4 * 4 * 9 * 9 + 4 * 3 * 9 + 4 * 3;
        assertEquals(expected, ann.multiplyAccumulates(), 1e-9);
        assertEquals(1, ann.timeSteps());
        assertEquals(List.of("conv1", "layer1.0.conv1", "layer1.0.conv2", "layer2.0.conv1", "layer2.0.conv2",
                "layer2.0.downsample.0", "fc"), ann.layers().stream().map(l -> l.layer()).toList());
    }

    @Test
    void savedThresholdsLoadBackAndMismatchesAreNamed() throws Exception {
        Model ann = ConversionFixtures.tinyResNet(DataType.FLOAT, 3);
        Conversion conversion = Conversion.of(ann);
        ConversionSettings settings = ConversionSettings.builder().optGranularity(ThresholdGranularity.CHANNEL)
                .optInitialMembrane(0.25).optPlacement(NeuronPlacement.SHORTCUT_NEURON).optCalibrationTimeSteps(3)
                .build();
        SpikingConversion converted = conversion.convert(settings, new ConversionFixtures.MaxStrategy(),
                List.of(ConversionFixtures.images(1, 2, 6, DataType.FLOAT)), ConversionProgress.NONE);
        Path file = folder.resolve("thresholds.safetensors");
        converted.save(file);
        SpikingConversion loaded = conversion.load(file);
        assertEquals(settings, loaded.settings());
        assertEquals(converted.sites(), loaded.sites());
        converted.thresholds().forEach((site, values) ->
                assertEquals(values, loaded.thresholds().get(site), site));
        INDArray images = ConversionFixtures.images(7, 2, 6, DataType.FLOAT);
        assertEquals(converted.evaluate(ReferenceConversionTest.batches(images), new int[] {4}, ConversionProgress.NONE)
                        .firingRates(),
                loaded.evaluate(ReferenceConversionTest.batches(images), new int[] {4}, ConversionProgress.NONE)
                        .firingRates());

        Conversion vgg = Conversion.of(ConversionFixtures.tinyVgg(DataType.FLOAT, 1));
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> vgg.load(file));
        assertEquals(file + ": thresholds of a resnet6, but the network is a vgg11", other.getMessage());

        Path notOurs = folder.resolve("weights.safetensors");
        io.spikeforge.engine.io.Safetensors.write(notOurs, Map.of("sn1", one()), Map.of());
        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class, () -> conversion.load(notOurs));
        assertTrue(foreign.getMessage().startsWith(notOurs + ": not a saved Spikeforge conversion"),
                foreign.getMessage());

        Path missing = folder.resolve("missing.safetensors");
        Map<String, INDArray> fewer = new java.util.LinkedHashMap<>(converted.thresholds());
        fewer.remove("layer2.0.shortcut_sn");
        Map<String, String> metadata = io.spikeforge.engine.io.Safetensors.read(file).metadata();
        io.spikeforge.engine.io.Safetensors.write(missing, fewer, metadata);
        IllegalArgumentException incomplete = assertThrows(IllegalArgumentException.class,
                () -> conversion.load(missing));
        assertEquals(missing + ": does not match the network: no thresholds for layer2.0.shortcut_sn",
                incomplete.getMessage());
        assertTrue(Files.exists(file));
    }

    private static INDArray one() {
        return Nd4j.createFromArray(1.0);
    }
}
