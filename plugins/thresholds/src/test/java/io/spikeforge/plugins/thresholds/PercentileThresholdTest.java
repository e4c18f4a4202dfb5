package io.spikeforge.plugins.thresholds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spikeforge.api.convert.ThresholdGranularity;
import io.spikeforge.testkit.convert.ReferenceLayerCalibration;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code percentile} against hand-computed values and against sorting, also where selection needs several passes. */
class PercentileThresholdTest {
    /**
     * One channel holds 0, 1, 2, 3, 4, 0, 10. Positive values sorted: 1 2 3 4 10 (n = 5): p = 50 gives
     * h = 4 * 0.5 = 2, so 3; p = 90 gives h = 3.6, so 4 + 0.6 * (10 - 4) = 7.6. With zeros: 0 0 1 2 3 4 10
     * (n = 7): p = 50 gives h = 3, so 2; p = 90 gives h = 5.4, so 4 + 0.4 * 6 = 6.4. p = 100 is the maximum.
     * The other channel is 5 everywhere.
     */
    @Test
    void matchesHandComputedPercentiles() {
        INDArray activations = Nd4j.createFromArray(new double[][] {{0, 5}, {1, 5}, {2, 5}, {3, 5}, {4, 5}, {0, 5}, {10, 5}});
        ReferenceLayerCalibration channels = MaxThresholdTest.layer(activations, ThresholdGranularity.CHANNEL);
        assertArrayEquals(new double[] {3, 5}, new PercentileThreshold(50, false).thresholds(channels).toDoubleVector(), 1e-12);
        assertArrayEquals(new double[] {7.6, 5}, new PercentileThreshold(90, false).thresholds(channels).toDoubleVector(),
                1e-12);
        assertArrayEquals(new double[] {2, 5}, new PercentileThreshold(50, true).thresholds(channels).toDoubleVector(), 1e-12);
        assertArrayEquals(new double[] {6.4, 5}, new PercentileThreshold(90, true).thresholds(channels).toDoubleVector(),
                1e-12);
        assertArrayEquals(new double[] {10, 5}, new PercentileThreshold(100, true).thresholds(channels).toDoubleVector(), 0);
        // the whole layer: 12 positive values 1 2 3 4 5 5 5 5 5 5 5 10; p = 50: h = 5.5, between 5 and 5
        ReferenceLayerCalibration layer = MaxThresholdTest.layer(activations, ThresholdGranularity.LAYER);
        assertArrayEquals(new double[] {5}, new PercentileThreshold(50, false).thresholds(layer).toDoubleVector(), 1e-12);
        // p = 10 with zeros over 14 values 0 0 1 2 3 4 5 ...: h = 1.3, between 0 and 1
        assertArrayEquals(new double[] {0.3}, new PercentileThreshold(10, true).thresholds(layer).toDoubleVector(), 1e-12);
    }

    @Test
    void aChannelWhosePercentileIsZeroIsDead() {
        // 99 zeros and one 4: with zeros, the 50th percentile is 0, so the channel gets 1e-3 of the layer maximum
        double[][] values = new double[100][2];
        values[7][0] = 4;
        for (double[] row : values) {
            row[1] = 8;
        }
        ReferenceLayerCalibration layer = MaxThresholdTest.layer(Nd4j.createFromArray(values), ThresholdGranularity.CHANNEL);
        assertArrayEquals(new double[] {0.008, 8}, new PercentileThreshold(50, true).thresholds(layer).toDoubleVector(),
                1e-15);
        assertArrayEquals(new double[] {4, 8}, new PercentileThreshold(50, false).thresholds(layer).toDoubleVector(), 0);
    }

    /** Hundreds of thousands of values, many repeated, over a wide range: several passes, then collection. */
    @Test
    void equalsSortingOnLargeChannelsAndLayers() {
        Random random = new Random(11);
        int images = 600;
        long[] shape = {images, 3, 16, 16};
        double[] values = new double[images * 3 * 256];
        for (int i = 0; i < values.length; i++) {
            double draw = random.nextDouble();
            values[i] = draw < 0.4 ? 0 : draw < 0.5 ? Math.round(random.nextDouble() * 8) / 4.0
                    : Math.exp(3 * random.nextGaussian()) * (1 + i % 3);
        }
        INDArray activations = Nd4j.create(values, shape, DataType.DOUBLE);
        double[][] channelValues = new double[3][];
        for (int c = 0; c < 3; c++) {
            int channel = c;
            channelValues[c] = IntStream.range(0, values.length).filter(i -> i / 256 % 3 == channel)
                    .mapToDouble(i -> values[i]).toArray();
        }
        for (boolean includeZeros : new boolean[] {false, true}) {
            for (double p : new double[] {99.9, 99.99, 50, 0.001, 100, 37.3}) {
                // the selection itself: the strategy would replace a percentile of 0 by the dead-channel rule
                double[] perChannel = OrderStatistics.percentiles(new ActivationScan(MaxThresholdTest.layer(activations,
                        ThresholdGranularity.CHANNEL)), p, includeZeros);
                for (int c = 0; c < 3; c++) {
                    assertEquals(sorted(channelValues[c], p, includeZeros), perChannel[c], 0.0,
                            "channel " + c + ", p = " + p + ", include_zeros = " + includeZeros);
                }
                double[] perLayer = OrderStatistics.percentiles(new ActivationScan(MaxThresholdTest.layer(activations,
                        ThresholdGranularity.LAYER)), p, includeZeros);
                assertEquals(sorted(values, p, includeZeros), perLayer[0], 0.0,
                        "layer, p = " + p + ", include_zeros = " + includeZeros);
            }
        }
    }

    @Test
    void singlePrecisionActivationsGiveTheSameValues() {
        Random random = new Random(5);
        INDArray activations = Nd4j.create(DoubleStream.generate(() -> Math.max(0, random.nextGaussian())).limit(40_000)
                .toArray(), new long[] {100, 4, 10, 10}, DataType.DOUBLE).castTo(DataType.FLOAT);
        double[] exact = new PercentileThreshold(99.9, false).thresholds(MaxThresholdTest.layer(
                activations.castTo(DataType.DOUBLE), ThresholdGranularity.CHANNEL)).toDoubleVector();
        double[] single = new PercentileThreshold(99.9, false).thresholds(MaxThresholdTest.layer(activations,
                ThresholdGranularity.CHANNEL)).toDoubleVector();
        assertArrayEquals(exact, single, 0.0);
    }

    @Test
    void rejectsPercentilesOutsideTheRange() {
        for (double p : new double[] {0, -1, 100.5, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> new PercentileThreshold(p, false), "p = " + p);
        }
    }

    /** numpy's default (linear) percentile of a sorted copy. */
    static double sorted(double[] values, double p, boolean includeZeros) {
        double[] kept = Arrays.stream(values).filter(v -> includeZeros || v > 0).sorted().toArray();
        double h = (kept.length - 1) * (p / 100);
        int lower = (int) Math.floor(h);
        if (lower >= kept.length - 1) {
            return kept[kept.length - 1];
        }
        return kept[lower] + (h - lower) * (kept[lower + 1] - kept[lower]);
    }
}
