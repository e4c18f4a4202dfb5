package io.spikeforge.plugins.qcfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.activation.AnnActivation;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.model.Parameter;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class QcfsActivationTest {
    /** lambda 2, L 4: steps of 0.5, rounding at the half steps. */
    @Test
    void forwardAndGradientsByHand() {
        QcfsActivation qcfs = new QcfsActivation(4, 2.0, DataType.DOUBLE);
        INDArray x = Nd4j.createFromArray(new double[] {-1, 0.1, 0.26, 0.7, 1.3, 1.76, 2.5}).reshape(1, 7);
        // x * L / lambda = -2, 0.2, 0.52, 1.4, 2.6, 3.52, 5 -> clamp to [0, 4], + 1/2, floor: 0 0 1 1 3 4 4
        assertArrayEquals(new double[] {0, 0, 0.5, 0.5, 1.5, 2, 2}, qcfs.forward(x, true).toDoubleVector(), 1e-15);

        INDArray gradInput = qcfs.backward(Nd4j.ones(DataType.DOUBLE, 1, 7));
        assertArrayEquals(new double[] {0, 1, 1, 1, 1, 1, 0}, gradInput.toDoubleVector(), 0);
        // q - m * x / lambda: 0, 0 - 0.05, 0.25 - 0.13, 0.25 - 0.35, 0.75 - 0.65, 1 - 0.88, 1 (above lambda)
        assertEquals(1.19, qcfs.parameters().get(0).gradient().getDouble(0), 1e-12);
    }

    @Test
    void theOutputIsTheIntegrateAndFireQuantizationWithHalfThresholdStart() {
        int levels = 8;
        double lambda = 1.7;
        QcfsActivation qcfs = new QcfsActivation(levels, lambda, DataType.DOUBLE);
        Random random = new Random(4);
        double[] values = random.doubles(500, -1, 3).toArray();
        double[] output = qcfs.forward(Nd4j.createFromArray(values).reshape(5, 100), false).dup().reshape(500)
                .toDoubleVector();
        for (int i = 0; i < values.length; i++) {
            // q_T(a) = theta / T * clip(floor(a * T / theta + 1/2), 0, T) with T = L, theta = lambda
            double expected = lambda / levels * Math.min(levels, Math.max(0, Math.floor(values[i] * levels / lambda + 0.5)));
            assertEquals(expected, output[i], 1e-12, "at " + values[i]);
        }
    }

    @Test
    void floatInputGivesTheDoubleResultRoundedToFloat() {
        QcfsActivation single = new QcfsActivation(4, 3.0, DataType.FLOAT);
        QcfsActivation exact = new QcfsActivation(4, 3.0, DataType.DOUBLE);
        INDArray x = Nd4j.createFromArray(new double[] {-0.2, 0.4, 1.1, 2.0, 2.9, 3.3, 7}).reshape(1, 7);
        single.forward(x.castTo(DataType.FLOAT), true);
        exact.forward(x, true);
        INDArray g = Nd4j.createFromArray(new double[] {0.3, -1, 2, 0.5, 1, -0.25, 4}).reshape(1, 7);
        assertArrayEquals(exact.backward(g).toDoubleVector(),
                single.backward(g.castTo(DataType.FLOAT)).castTo(DataType.DOUBLE).toDoubleVector(), 1e-6);
        assertEquals(exact.parameters().get(0).gradient().getDouble(0),
                single.parameters().get(0).gradient().getDouble(0), 1e-5);
    }

    @Test
    void theConversionThresholdIsTheTrainedLambda() {
        QcfsActivation qcfs = new QcfsActivation(4, 8.0, DataType.FLOAT);
        assertEquals(8.0, qcfs.conversionThreshold().orElseThrow());
        qcfs.parameters().get(0).value().assign(2.5);
        assertEquals(2.5, qcfs.conversionThreshold().orElseThrow());
    }

    @Test
    void aThresholdTrainedBelowZeroStopsTheForwardPass() {
        QcfsActivation qcfs = new QcfsActivation(4, 1.0, DataType.FLOAT);
        qcfs.parameters().get(0).value().assign(-0.1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> qcfs.forward(Nd4j.ones(DataType.FLOAT, 2, 3), true));
        assertTrue(e.getMessage().contains("-0.1"), e.getMessage());
    }

    @Test
    void theProviderMakesOneThresholdPerLayerFromItsParameters() {
        QcfsProvider provider = new QcfsProvider();
        ResolvedParameters defaults = provider.parameters().resolve(Map.of());
        QcfsActivation made = (QcfsActivation) provider.create(defaults, 16, DataType.FLOAT);
        assertEquals(4, made.levels());
        assertEquals(8.0, made.conversionThreshold().orElseThrow());
        assertArrayEquals(new long[] {1}, made.parameters().get(0).value().shape());
        AnnActivation other = provider.create(provider.parameters().resolve(Map.of("levels", 8L, "threshold", 2.0)),
                16, DataType.DOUBLE);
        assertEquals(DataType.DOUBLE, other.parameters().get(0).value().dataType());
        assertEquals(8, ((QcfsActivation) other).levels());
    }

    /**
     * A tiny model trains: the threshold of {@code y = qcfs(x)} fitted by SGD on the mean squared error
     * to a ReLU clipped at 3 moves from 8 to about 3, the clip it must learn, and the loss falls.
     */
    @Test
    void theThresholdTrainsTowardsTheClipOfTheTarget() {
        QcfsActivation qcfs = new QcfsActivation(4, 8.0, DataType.FLOAT);
        Parameter lambda = qcfs.parameters().get(0);
        INDArray x = Nd4j.createFromArray(new Random(7).doubles(256, 0, 6).toArray()).castTo(DataType.FLOAT)
                .reshape(64, 4);
        INDArray target = x.dup();
        target.assign(org.nd4j.linalg.ops.transforms.Transforms.min(x, 3.0, true));
        double first = 0;
        double loss = 0;
        for (int step = 0; step < 300; step++) {
            INDArray difference = qcfs.forward(x, true).sub(target);
            loss = difference.mul(difference).meanNumber().doubleValue();
            first = step == 0 ? loss : first;
            lambda.zeroGradient();
            qcfs.backward(difference.mul(2.0 / difference.length()));
            lambda.value().subi(lambda.gradient().mul(0.5));
        }
        double learned = lambda.value().getDouble(0);
        assertEquals(3.0, learned, 0.4, "lambda after training");
        assertTrue(loss < first / 5, "loss " + loss + " from " + first);
    }
}
