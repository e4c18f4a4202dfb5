package io.spikeforge.engine.layer;

import static io.spikeforge.engine.layer.TestTensors.assertClose;
import static io.spikeforge.engine.layer.TestTensors.assertPassed;
import static io.spikeforge.engine.layer.TestTensors.normal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.gradcheck.GradientCheck;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LinearTest {
    @ParameterizedTest(name = "bias {0}")
    @ValueSource(booleans = {true, false})
    void gradientsMatchFiniteDifferences(boolean bias) {
        Nd4j.getRandom().setSeed(21);
        Linear linear = new Linear(5, 3, bias, DataType.DOUBLE);
        assertPassed(GradientCheck.withDefaults().check(linear, normal(1, 4, 5)));
    }

    @Test
    void forwardIsInputTimesTransposedWeightPlusBias() {
        Nd4j.getRandom().setSeed(22);
        Linear linear = new Linear(3, 2, true, DataType.DOUBLE);
        INDArray weight = linear.weight().value();
        INDArray bias = linear.bias().orElseThrow().value();
        INDArray x = normal(2, 4, 3);
        INDArray y = linear.forward(x, false);
        INDArray expected = Nd4j.create(DataType.DOUBLE, 4, 2);
        for (int b = 0; b < 4; b++) {
            for (int o = 0; o < 2; o++) {
                double sum = bias.getDouble(o);
                for (int i = 0; i < 3; i++) {
                    sum += x.getDouble(b, i) * weight.getDouble(o, i);
                }
                expected.putScalar(b, o, sum);
            }
        }
        assertClose(expected, y, 1e-12);
    }

    @Test
    void parametersHavePyTorchNamesAndShapes() {
        Linear linear = new Linear(7, 10, true, DataType.FLOAT);
        assertEquals(List.of("weight", "bias"), List.copyOf(linear.stateTensors().keySet()));
        assertArrayEquals(new long[] {10, 7}, linear.weight().value().shape());
        double bound = 1 / Math.sqrt(7);
        assertTrue(linear.weight().value().amaxNumber().doubleValue() <= bound);
    }

    @Test
    void parameterGradientsAccumulate() {
        Nd4j.getRandom().setSeed(23);
        Linear linear = new Linear(3, 2, true, DataType.DOUBLE);
        INDArray x = normal(3, 4, 3);
        INDArray gradOutput = normal(4, 4, 2);
        linear.forward(x, true);
        linear.backward(gradOutput);
        INDArray weightOnce = linear.weight().gradient().dup();
        INDArray biasOnce = linear.bias().orElseThrow().gradient().dup();
        linear.backward(gradOutput);
        assertClose(weightOnce.mul(2), linear.weight().gradient(), 1e-12);
        assertClose(biasOnce.mul(2), linear.bias().orElseThrow().gradient(), 1e-12);
    }

    @Test
    void wrongInputsAreRejected() {
        Linear linear = new Linear(3, 2, true, DataType.DOUBLE);
        assertThrows(IllegalArgumentException.class, () -> linear.forward(normal(1, 4, 4), true));
        assertThrows(IllegalArgumentException.class, () -> linear.forward(normal(1, 4, 3, 1), true));
        assertThrows(IllegalStateException.class, () -> linear.backward(normal(1, 4, 2)));
    }
}
