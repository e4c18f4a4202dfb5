package io.spikeforge.plugins.thresholds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spikeforge.api.convert.ThresholdGranularity;
import io.spikeforge.testkit.convert.ReferenceLayerCalibration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code ttrbr} weighs the deviation error: an input current that varies over time moves its choice. */
class TtrbrThresholdTest {
    /** Candidates 1, 0.75, 0.5 and 0.25 times the maximum. */
    private final TtrbrThreshold strategy = new TtrbrThreshold(4, 0.25, 1.0, 100);

    /**
     * Two neurons, ANN activations 1.0 and 0.3, T = 2, v0 = theta/2. The second gets 0.3 at both steps; the
     * first either 1.0 at both steps, or -1 then 3 (mean 1 as well). Per theta (quantization, deviation):
     * <pre>
     * theta 1:    q(1) = 1,     q(0.3) = 0.5:   quantization (0 + 0.04) / 2           = 0.02
     *             varying current: v = 0.5, -0.5, 2.5: one spike, r = 0.5 against 1:    deviation 0.25 / 2 = 0.125
     * theta 0.75: q(1) = 0.75,  q(0.3) = 0.375: quantization (0.0625 + 0.005625) / 2 = 0.0340625
     *             varying: v = 0.375, -0.625, 2.375: r = 0.375 against 0.75:             deviation 0.140625 / 2 = 0.0703125
     * theta 0.5:  q(1) = 0.5,   q(0.3) = 0.25:  quantization (0.25 + 0.0025) / 2      = 0.12625
     *             varying: r = 0.25 against 0.5:                                        deviation 0.0625 / 2 = 0.03125
     * theta 0.25: q(1) = 0.25,  q(0.3) = 0.25:  quantization (0.5625 + 0.0025) / 2    = 0.2825
     *             varying: r = 0.125 against 0.25:                                      deviation 0.015625 / 2 = 0.0078125
     * </pre>
     * Constant currents have no deviation error, so theta 1 wins (0.02); with the varying current the
     * totals are 0.145, 0.104375, 0.1575 and 0.2903125, so 0.75 wins.
     */
    @Test
    void theDeviationErrorOfAVaryingCurrentChangesTheChoice() {
        INDArray activations = Nd4j.createFromArray(new double[][] {{1.0}, {0.3}});
        ReferenceLayerCalibration constant = layer(activations, ThresholdGranularity.LAYER, null);
        ReferenceLayerCalibration varying = layer(activations, ThresholdGranularity.LAYER,
                Nd4j.createFromArray(new double[][][] {{{-1.0}, {0.3}}, {{3.0}, {0.3}}}));

        var errors = varying.measure(Nd4j.createFromArray(0.75));
        assertEquals(0.0340625, errors.quantization()[0], 1e-15);
        assertEquals(0.0703125, errors.deviation()[0], 1e-15);
        assertEquals(0.0, constant.measure(Nd4j.createFromArray(0.75)).deviation()[0], 0.0);

        assertArrayEquals(new double[] {1.0}, strategy.thresholds(constant).toDoubleVector(), 0.0);
        assertArrayEquals(new double[] {0.75}, strategy.thresholds(varying).toDoubleVector(), 0.0);
        // mse-search sees only the ANN activations, so the varying current changes nothing for it
        assertArrayEquals(new double[] {1.0}, new MseSearchThreshold(1).thresholds(varying).toDoubleVector(), 0.0);
    }

    /** The case above as two channels, one with each current: each channel gets its own choice, in 4 measurements. */
    @Test
    void tunesEachChannelOnItsOwnWithOneMeasurementPerCandidate() {
        INDArray activations = Nd4j.createFromArray(new double[][] {{1.0, 1.0}, {0.3, 0.3}});
        INDArray currents = Nd4j.createFromArray(new double[][][] {{{-1.0, 1.0}, {0.3, 0.3}}, {{3.0, 1.0}, {0.3, 0.3}}});
        ReferenceLayerCalibration layer = layer(activations, ThresholdGranularity.CHANNEL, currents);
        assertArrayEquals(new double[] {0.75, 1.0}, strategy.thresholds(layer).toDoubleVector(), 0.0);
        assertEquals(4, layer.measureCalls());
    }

    @Test
    void candidatesAreFractionsOfAPercentileWhenAskedFor() {
        // positive activations 1 .. 100 in one channel: the 50th percentile is 50.5; candidates 50.5 * (1, 0.5)
        double[][] values = new double[100][1];
        for (int i = 0; i < 100; i++) {
            values[i][0] = i + 1;
        }
        ReferenceLayerCalibration layer = layer(Nd4j.createFromArray(values), ThresholdGranularity.LAYER, null);
        double chosen = new TtrbrThreshold(2, 0.5, 1.0, 50).thresholds(layer).getDouble(0);
        assertEquals(50.5, chosen, 1e-12, "with constant currents the larger candidate clips less of 1 .. 100");
        assertArrayEquals(new double[] {1.0, 0.75, 0.5, 0.25}, strategy.fractions(), 1e-15);
    }

    @Test
    void deadChannelsAreNotSearched() {
        INDArray activations = Nd4j.createFromArray(new double[][] {{0.0, 2.0}, {0.0, 0.6}});
        ReferenceLayerCalibration layer = layer(activations, ThresholdGranularity.CHANNEL, null);
        assertEquals(0.002, strategy.thresholds(layer).getDouble(0), 1e-15);
        ReferenceLayerCalibration dead = layer(Nd4j.zeros(DataType.DOUBLE, 2, 2), ThresholdGranularity.CHANNEL, null);
        assertArrayEquals(new double[] {1e-3, 1e-3}, strategy.thresholds(dead).toDoubleVector(), 0.0);
        assertEquals(0, dead.measureCalls(), "a dead layer needs no measurement");
    }

    @Test
    void rejectsInconsistentSettings() {
        assertThrows(IllegalArgumentException.class, () -> new TtrbrThreshold(1, 0.1, 1, 100), "grid 1");
        assertThrows(IllegalArgumentException.class, () -> new TtrbrThreshold(10, 0.5, 0.5, 100), "empty range");
        assertThrows(IllegalArgumentException.class, () -> new TtrbrThreshold(10, 0, 1, 100), "zero fraction");
        assertThrows(IllegalArgumentException.class, () -> new TtrbrThreshold(10, 0.1, 1, 0), "percentile 0");
    }

    private static ReferenceLayerCalibration layer(INDArray activations, ThresholdGranularity granularity,
                                                   INDArray currents) {
        ReferenceLayerCalibration.Builder builder = ReferenceLayerCalibration.builder("layer2.1.sn2", activations)
                .optGranularity(granularity).optTimeSteps(2).optInitialMembrane(0.5);
        if (currents != null) {
            builder.optInputCurrents(currents);
        }
        return builder.build();
    }
}
