package io.spikeforge.plugins.thresholds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spikeforge.api.convert.ThresholdGranularity;
import io.spikeforge.testkit.convert.ReferenceLayerCalibration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code mse-search} picks the grid's least quantization error, computed as the reference measures it. */
class MseSearchThresholdTest {
    /**
     * Activations 1.0 and 0.4925, T = 1, v0 = theta/2, so q(a) = theta * clip(floor(a/theta + 0.5), 0, 1):
     * <pre>
     * theta 1.00: q(1) = 1,    q(0.4925) = 0    (0.9925 floors to 0): (0 + 0.4925^2) / 2          = 0.121278125
     * theta 0.99: q(1) = 0.99, q(0.4925) = 0    (0.99747):            (0.01^2 + 0.4925^2) / 2     = 0.121328125
     * theta 0.98: q(1) = 0.98, q(0.4925) = 0.98 (1.00255 floors to 1): (0.02^2 + 0.4875^2) / 2   = 0.119028125
     * </pre>
     * With three candidates 0.98 is best; with two, 1.00 (0.99 is worse than the maximum).
     */
    @Test
    void picksTheCandidateWithTheLeastQuantizationErrorComputedByHand() {
        ReferenceLayerCalibration layer = ReferenceLayerCalibration.builder("features.3",
                Nd4j.createFromArray(new double[][] {{1.0}, {0.4925}})).optTimeSteps(1).build();
        ActivationScan scan = new ActivationScan(layer);
        assertArrayEquals(new double[] {0.121278125, 0.121328125, 0.119028125},
                MseSearchThreshold.quantizationErrors(scan, new double[][] {{1.0, 0.99, 0.98}})[0], 1e-15);
        assertArrayEquals(new double[] {0.98}, new MseSearchThreshold(3).thresholds(layer).toDoubleVector(), 1e-15);
        assertArrayEquals(new double[] {1.0}, new MseSearchThreshold(2).thresholds(layer).toDoubleVector(), 0.0);
    }

    @Test
    void searchesEachChannelOnItsOwn() {
        // channel 0 is the case above, channel 1 twice it (best: twice 0.98), channel 2 a case whose best is its maximum
        // (1 and 0.3: errors 0.045, 0.04505, 0.0452 at 1, 0.99, 0.98)
        INDArray activations = Nd4j.createFromArray(new double[][] {{1.0, 2.0, 1.0}, {0.4925, 0.985, 0.3}});
        ReferenceLayerCalibration layer = ReferenceLayerCalibration.builder("features.3", activations).optTimeSteps(1)
                .optGranularity(ThresholdGranularity.CHANNEL).build();
        assertArrayEquals(new double[] {0.98, 1.96, 1.0}, new MseSearchThreshold(3).thresholds(layer).toDoubleVector(),
                1e-15);
    }

    /** The strategy's own quantization error is the reference's {@code measure().quantization()}. */
    @Test
    void quantizationErrorsAgreeWithTheReferenceMeasurement() {
        Random random = new Random(23);
        INDArray activations = Nd4j.rand(DataType.DOUBLE, 30, 3, 5, 5).muli(2).subi(0.5);
        INDArray flat = activations.reshape(activations.length());
        for (long i = 0; i < flat.length(); i += 3) {
            flat.putScalar(i, 0.0);  // zeros add nothing unless v0 = theta, which makes q_T(0) = theta/T
        }
        for (ThresholdGranularity granularity : ThresholdGranularity.values()) {
            for (int timeSteps : new int[] {1, 3, 8}) {
                for (double initialMembrane : new double[] {0.5, 0.0, 0.3, 1.0}) {
                    ReferenceLayerCalibration layer = ReferenceLayerCalibration.builder("l", activations)
                            .optGranularity(granularity).optTimeSteps(timeSteps).optInitialMembrane(initialMembrane).build();
                    int count = layer.thresholdCount();
                    double[][] candidates = new double[count][4];
                    for (double[] row : candidates) {
                        for (int i = 0; i < row.length; i++) {
                            row[i] = 0.1 + 2 * random.nextDouble();
                        }
                    }
                    double[][] errors = MseSearchThreshold.quantizationErrors(new ActivationScan(layer), candidates);
                    for (int i = 0; i < 4; i++) {
                        double[] thetas = new double[count];
                        for (int g = 0; g < count; g++) {
                            thetas[g] = candidates[g][i];
                        }
                        double[] reference = layer.measure(Nd4j.createFromArray(thetas)).quantization();
                        for (int g = 0; g < count; g++) {
                            assertEquals(reference[g], errors[g][i], 1e-12 * Math.max(1, reference[g]),
                                    granularity + ", T = " + timeSteps + ", f = " + initialMembrane + ", group " + g);
                        }
                    }
                }
            }
        }
    }

    @Test
    void neverCallsMeasure() {
        ReferenceLayerCalibration layer = ReferenceLayerCalibration.builder("l", Nd4j.rand(DataType.DOUBLE, 10, 3))
                .optGranularity(ThresholdGranularity.CHANNEL).build();
        new MseSearchThreshold(100).thresholds(layer);
        assertEquals(0, layer.measureCalls());
    }

    @Test
    void rejectsStepCountsOutsideOneToAHundred() {
        assertThrows(IllegalArgumentException.class, () -> new MseSearchThreshold(0));
        assertThrows(IllegalArgumentException.class, () -> new MseSearchThreshold(101));
    }
}
