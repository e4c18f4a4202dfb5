package io.spikeforge.plugins.thresholds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.convert.ThresholdGranularity;
import io.spikeforge.testkit.convert.ReferenceLayerCalibration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code max} is the maximum, per layer and per channel, and the shared checks and dead-channel rule. */
class MaxThresholdTest {
    private final MaxThreshold strategy = new MaxThreshold();

    @Test
    void isTheLargestActivationOfTheLayerOrOfEachChannel() {
        Random random = new Random(3);
        double[][][][] values = new double[7][4][5][3];
        double[] channelMax = new double[4];
        for (int n = 0; n < 7; n++) {
            for (int c = 0; c < 4; c++) {
                for (int h = 0; h < 5; h++) {
                    for (int w = 0; w < 3; w++) {
                        double v = Math.max(0, random.nextGaussian() * (c + 1));
                        values[n][c][h][w] = v;
                        channelMax[c] = Math.max(channelMax[c], v);
                    }
                }
            }
        }
        INDArray activations = Nd4j.createFromArray(values);
        double layerMax = Math.max(Math.max(channelMax[0], channelMax[1]), Math.max(channelMax[2], channelMax[3]));

        assertArrayEquals(new double[] {layerMax}, strategy.thresholds(layer(activations, ThresholdGranularity.LAYER))
                .toDoubleVector(), 0.0);
        assertArrayEquals(channelMax, strategy.thresholds(layer(activations, ThresholdGranularity.CHANNEL))
                .toDoubleVector(), 0.0);
        assertArrayEquals(channelMax, strategy.thresholds(layer(activations.castTo(DataType.FLOAT).castTo(DataType.DOUBLE)
                .castTo(DataType.FLOAT), ThresholdGranularity.CHANNEL)).toDoubleVector(), 1e-6);
    }

    @Test
    void readsLayersLargerThanOneChunk() {
        int images = 3 * ActivationScan.CHUNK_ELEMENTS / (2 * 64) + 5;
        INDArray activations = Nd4j.rand(DataType.FLOAT, images, 2, 8, 8);
        activations.putScalar(new long[] {images - 1, 1, 7, 7}, 3.5);
        activations.putScalar(new long[] {images / 2, 0, 3, 2}, 2.5);
        assertArrayEquals(new double[] {2.5, 3.5},
                strategy.thresholds(layer(activations, ThresholdGranularity.CHANNEL)).toDoubleVector(), 0.0);
    }

    @Test
    void deadChannelsGetAThousandthOfTheLayerMaximumAndDeadLayersATinyThreshold() {
        INDArray activations = Nd4j.createFromArray(new double[][] {{0.0, 2.0, 0.0}, {0.0, 0.5, 0.0}});
        activations.putScalar(0, 2, -1.0);
        assertArrayEquals(new double[] {0.002, 2.0, 0.002},
                strategy.thresholds(layer(activations, ThresholdGranularity.CHANNEL)).toDoubleVector(), 1e-15);
        INDArray dead = Nd4j.zeros(DataType.DOUBLE, 2, 3);
        assertArrayEquals(new double[] {1e-3}, strategy.thresholds(layer(dead, ThresholdGranularity.LAYER)).toDoubleVector(),
                0.0);
        assertArrayEquals(new double[] {1e-3, 1e-3, 1e-3},
                strategy.thresholds(layer(dead, ThresholdGranularity.CHANNEL)).toDoubleVector(), 0.0);
    }

    @Test
    void aNonFiniteActivationIsAnErrorNamingTheLayerImageAndChannel() {
        INDArray activations = Nd4j.ones(DataType.DOUBLE, 3, 2, 2);
        activations.putScalar(new long[] {2, 1, 0}, Double.NaN);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> strategy.thresholds(layer(activations, ThresholdGranularity.CHANNEL)));
        assertEquals("layer layer1.0.sn1: ANN activation NaN of image 2, channel 1 is not finite; thresholds need finite"
                + " activations", error.getMessage());
    }

    @Test
    void activationsWhoseChannelsDifferFromTheLayersAreAnError() {
        ReferenceLayerCalibration layer = layer(Nd4j.ones(DataType.DOUBLE, 3, 2), ThresholdGranularity.CHANNEL);
        var mismatched = new DelegatingCalibration(layer) {
            @Override
            public int channels() {
                return 4;
            }
        };
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> strategy.thresholds(mismatched));
        assertTrue(error.getMessage().contains("layer layer1.0.sn1: ANN activations must be [N, 4, ...]"),
                error.getMessage());
    }

    static ReferenceLayerCalibration layer(INDArray activations, ThresholdGranularity granularity) {
        return ReferenceLayerCalibration.builder("layer1.0.sn1", activations).optGranularity(granularity).build();
    }
}
