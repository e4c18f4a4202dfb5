package io.spikeforge.engine.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spikeforge.api.convert.ThresholdGranularity;
import io.spikeforge.engine.data.Batch;
import io.spikeforge.engine.energy.EnergyReport;
import io.spikeforge.engine.energy.LayerOperations;
import io.spikeforge.engine.model.Model;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The converted network against {@link ReferenceSnn}, a loop over time steps in double precision
 * with plain arrays: spike counts per neuron and site, logits at every step, and the operation
 * counts of the energy report.
 */
class ReferenceConversionTest {
    private static final int STEPS = 12;

    @ParameterizedTest
    @EnumSource(NeuronPlacement.class)
    void resNetSpikesAndLogitsMatchThePlainReference(NeuronPlacement placement) {
        Model ann = ConversionFixtures.tinyResNet(DataType.DOUBLE, 3);
        INDArray images = ConversionFixtures.images(5, 2, 6, DataType.DOUBLE);
        compare(ann, images, placement, 0.5, reference -> reference::resNetStep);
    }

    @Test
    void resNetWithZeroInitialMembraneMatchesToo() {
        Model ann = ConversionFixtures.tinyResNet(DataType.DOUBLE, 4);
        INDArray images = ConversionFixtures.images(6, 2, 6, DataType.DOUBLE);
        compare(ann, images, NeuronPlacement.BRANCH_NEURONS, 0.0, reference -> reference::resNetStep);
    }

    @Test
    void vggSpikesAndLogitsMatchThePlainReference() {
        Model ann = ConversionFixtures.tinyVgg(DataType.DOUBLE, 7);
        INDArray images = ConversionFixtures.images(8, 2, 5, DataType.DOUBLE);
        compare(ann, images, NeuronPlacement.AFTER_ADDITION, 0.5, reference -> reference::vggStep);
    }

    /**
     * Runs both for {@link #STEPS} steps with random per-channel thresholds around the site's typical
     * activation, so that every site spikes sometimes and not always.
     */
    private static void compare(Model ann, INDArray images, NeuronPlacement placement, double f,
                                java.util.function.Function<ReferenceSnn, UnaryOperator<ReferenceSnn.Tensor>> stepOf) {
        Conversion conversion = Conversion.of(ann);
        ConversionSettings settings = ConversionSettings.builder().optGranularity(ThresholdGranularity.CHANNEL)
                .optInitialMembrane(f).optPlacement(placement).build();
        // thresholds from a calibration with the max strategy, then jittered per channel
        SpikingConversion calibrated = conversion.convert(settings, new ConversionFixtures.MaxStrategy(),
                List.of(images), ConversionProgress.NONE);
        Random random = new Random(11);
        Map<String, INDArray> thresholds = new LinkedHashMap<>();
        Map<String, double[]> referenceThresholds = new LinkedHashMap<>();
        calibrated.thresholds().forEach((site, values) -> {
            double[] jittered = values.toDoubleVector();
            for (int k = 0; k < jittered.length; k++) {
                jittered[k] *= 0.3 + 0.5 * random.nextDouble();
            }
            thresholds.put(site, Nd4j.createFromArray(jittered));
            referenceThresholds.put(site, jittered);
        });
        SpikingConversion converted = conversion.withThresholds(settings, thresholds);
        ReferenceSnn reference = new ReferenceSnn(ann.stateDict(), referenceThresholds, f, placement);
        UnaryOperator<ReferenceSnn.Tensor> referenceStep = stepOf.apply(reference);
        ReferenceSnn.Tensor input = ReferenceSnn.Tensor.of(images);

        Network network = converted.network();
        network.reset(true, true);
        for (int step = 0; step < STEPS; step++) {
            double[] expected = referenceStep.apply(input).v();
            double[] actual = network.step(images, step, null).dup('c').reshape(-1).toDoubleVector();
            assertArrayEquals(expected, actual, 1e-9, "logits at step " + step);
        }
        assertEquals(List.copyOf(reference.neurons().keySet()), converted.sites(), "the same sites in forward order");
        long spikes = 0;
        for (Node.Site site : network.sites()) {
            double[] expected = java.util.Arrays.stream(reference.neurons().get(site.name()).count)
                    .asDoubleStream().toArray();
            double[] actual = site.neurons().spikeSum().dup('c').reshape(-1).toDoubleVector();
            assertArrayEquals(expected, actual, 0.0, "spike counts of " + site.name());
            assertEquals(reference.neurons().get(site.name()).events, site.neurons().events(), site.name());
            spikes += reference.neurons().get(site.name()).events;
        }
        long neurons = network.sites().stream().mapToLong(s -> s.neurons().membrane().length()).sum();
        double rate = (double) spikes / (neurons * STEPS);
        if (!(rate > 0.02 && rate < 0.98)) {
            throw new AssertionError("the thresholds should make sites fire sometimes, rate " + rate);
        }

        // the energy counts of a whole evaluation over the same steps
        ConversionEvaluation evaluation = converted.evaluate(batches(images), new int[] {STEPS},
                ConversionProgress.NONE);
        EnergyReport energy = evaluation.energy().get(STEPS);
        int n = (int) images.size(0);
        for (LayerOperations layer : energy.layers()) {
            if (layer == energy.layers().get(0)) {
                ReferenceSnn.Conv stem = reference.conv(layer.layer(), null, 1, 1);
                double macs = stem.macsPerImage(stem.apply(input)) * (double) STEPS;
                assertEquals(macs, layer.multiplyAccumulates(), 1e-9, "the encoding layer runs at every step");
                assertEquals(0, layer.accumulates());
            } else {
                assertEquals(reference.accumulates().get(layer.layer()) / n, layer.accumulates(), 1e-9,
                        "accumulates of " + layer.layer());
                assertEquals(0, layer.multiplyAccumulates());
            }
        }
        assertEquals(reference.accumulates().size() + 1, energy.layers().size(), "every weighted layer");
    }

    static Iterator<Batch> batches(INDArray images) {
        int[] labels = new int[(int) images.size(0)];
        return List.of(new Batch(images, labels, labels, 0, 0)).iterator();
    }
}
