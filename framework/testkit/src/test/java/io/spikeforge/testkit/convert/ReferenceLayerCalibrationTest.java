package io.spikeforge.testkit.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.convert.ConversionError;
import io.spikeforge.api.convert.ThresholdGranularity;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The reference measurement against errors worked out by hand. */
class ReferenceLayerCalibrationTest {
    /**
     * One image, two channels, T = 4, v0 = theta/2.
     * <ul>
     *   <li>Channel 0: ANN activation 0.45; currents 1.2, 0.9, -0.5, -0.3. With theta 1: q(0.45) =
     *       floor(1.8 + 0.5) / 4 = 0.5, quantization error 0.0025. The membrane goes 0.5, 1.7 (spike) 0.7,
     *       1.6 (spike) 0.6, 0.1, -0.2: r = 2/4 = 0.5, while the mean current 0.325 gives q = floor(1.3 + 0.5) / 4 =
     *       0.25: deviation error 0.0625.
     *   <li>Channel 1: ANN activation 2, constant current 2. With theta 1 the neuron fires at every step,
     *       r = q(2) = 1 (clipped): quantization error 1, deviation 0. With theta 2: q(2) = 2, no error.
     * </ul>
     */
    @Test
    void measuresTheErrorsComputedByHand() {
        INDArray activations = Nd4j.createFromArray(new double[][] {{0.45, 2.0}});
        INDArray currents = Nd4j.createFromArray(new double[][][] {{{1.2, 2.0}}, {{0.9, 2.0}}, {{-0.5, 2.0}}, {{-0.3, 2.0}}});
        ReferenceLayerCalibration layer = ReferenceLayerCalibration.builder("l", activations).optTimeSteps(4)
                .optInputCurrents(currents).build();
        ConversionError perLayer = layer.measure(Nd4j.createFromArray(1.0));
        assertArrayEquals(new double[] {(0.0025 + 1) / 2}, perLayer.quantization(), 1e-15);
        assertArrayEquals(new double[] {0.0625 / 2}, perLayer.deviation(), 1e-15);

        ReferenceLayerCalibration perChannel = ReferenceLayerCalibration.builder("l", activations).optTimeSteps(4)
                .optInputCurrents(currents).optGranularity(ThresholdGranularity.CHANNEL).build();
        ConversionError errors = perChannel.measure(Nd4j.createFromArray(1.0, 2.0));
        assertArrayEquals(new double[] {0.0025, 0}, errors.quantization(), 1e-15);
        assertArrayEquals(new double[] {0.0625, 0}, errors.deviation(), 1e-15);
        assertEquals(1, perChannel.measureCalls());
    }

    @Test
    void quantizationClipsAndShiftsByTheInitialMembrane() {
        assertEquals(0.5, ReferenceLayerCalibration.quantized(0.45, 1, 4, 0.5), 0);
        assertEquals(0.25, ReferenceLayerCalibration.quantized(0.45, 1, 4, 0.0), 0);
        assertEquals(1.0, ReferenceLayerCalibration.quantized(7, 1, 4, 0.5), 0);
        assertEquals(0.0, ReferenceLayerCalibration.quantized(-3, 1, 4, 0.5), 0);
    }

    /** A constant current in [0, theta] gives the quantized value, so the default currents have no deviation error. */
    @Test
    void constantCurrentsHaveNoDeviationError() {
        INDArray activations = Nd4j.rand(DataType.DOUBLE, 20, 3, 2, 2).muli(1.5);
        for (int timeSteps : new int[] {1, 3, 16}) {
            for (double initialMembrane : new double[] {0, 0.5, 0.9}) {
                ReferenceLayerCalibration layer = ReferenceLayerCalibration.builder("l", activations)
                        .optGranularity(ThresholdGranularity.CHANNEL).optTimeSteps(timeSteps)
                        .optInitialMembrane(initialMembrane).build();
                ConversionError errors = layer.measure(Nd4j.createFromArray(1.7, 1.6, 1.9));
                assertArrayEquals(new double[3], errors.deviation(), 1e-30, "T = " + timeSteps + ", f = " + initialMembrane);
                assertTrue(errors.quantization()[0] > 0);
            }
        }
    }

    @Test
    void scalingTheLayerScalesTheErrorsByTheSquare() {
        INDArray activations = Nd4j.rand(DataType.DOUBLE, 10, 2);
        INDArray currents = Nd4j.randn(DataType.DOUBLE, 4, 10, 2).addi(0.5);
        ReferenceLayerCalibration layer = ReferenceLayerCalibration.builder("l", activations).optInputCurrents(currents)
                .optGranularity(ThresholdGranularity.CHANNEL).optActivationThreshold(0.8).build();
        ReferenceLayerCalibration twice = layer.scaled(2);
        ConversionError errors = layer.measure(Nd4j.createFromArray(0.7, 0.9));
        ConversionError scaled = twice.measure(Nd4j.createFromArray(1.4, 1.8));
        for (int c = 0; c < 2; c++) {
            assertEquals(4 * errors.quantization()[c], scaled.quantization()[c], 1e-12);
            assertEquals(4 * errors.deviation()[c], scaled.deviation()[c], 1e-12);
        }
        assertEquals(1.6, twice.activationThreshold().orElseThrow(), 0);
    }

    @Test
    void rejectsThresholdsOfTheWrongCountOrSign() {
        ReferenceLayerCalibration layer = ReferenceLayerCalibration.builder("layer3.sn", Nd4j.rand(DataType.DOUBLE, 4, 3))
                .optGranularity(ThresholdGranularity.CHANNEL).build();
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> layer.measure(Nd4j.createFromArray(1.0)));
        assertEquals("layer3.sn: measure needs 3 thresholds as [3], got shape [1]", count.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> layer.measure(Nd4j.createFromArray(1.0, 0.0, 1.0)));
        assertEquals("layer3.sn: threshold 1 is 0.0; thresholds must be positive and finite", zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> layer.measure(Nd4j.createFromArray(1.0, Double.NaN, 1.0)));
    }

    @Test
    void rejectsCurrentsOfAnotherShape() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ReferenceLayerCalibration.builder("l", Nd4j.rand(DataType.DOUBLE, 4, 3)).optTimeSteps(2)
                        .optInputCurrents(Nd4j.rand(DataType.DOUBLE, 3, 4, 3)).build());
        assertEquals("l: inputCurrents must have shape [T, N, C, ...] = [2, 4, 3], got [3, 4, 3]", error.getMessage());
    }
}
