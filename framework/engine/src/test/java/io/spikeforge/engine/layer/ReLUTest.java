package io.spikeforge.engine.layer;

import static io.spikeforge.engine.layer.TestTensors.assertPassed;
import static io.spikeforge.engine.layer.TestTensors.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spikeforge.engine.gradcheck.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class ReLUTest {
    @Test
    void gradientsMatchFiniteDifferencesAwayFromZero() {
        INDArray signs = Transforms.sign(normal(1, 2, 3, 4, 4));
        INDArray magnitudes = Transforms.abs(normal(2, 2, 3, 4, 4)).addi(0.1);
        assertPassed(GradientCheck.withDefaults().check(new ReLU(DataType.DOUBLE), signs.mul(magnitudes)));
    }

    @Test
    void forwardAndBackwardClampAtZero() {
        ReLU relu = new ReLU(DataType.DOUBLE);
        INDArray x = Nd4j.create(new double[] {-2, -0.5, 0, 0.5, 3}, new long[] {5}, DataType.DOUBLE);
        assertEquals(Nd4j.create(new double[] {0, 0, 0, 0.5, 3}, new long[] {5}, DataType.DOUBLE), relu.forward(x, true));
        INDArray gradInput = relu.backward(Nd4j.create(new double[] {1, 2, 3, 4, 5}, new long[] {5}, DataType.DOUBLE));
        assertEquals(Nd4j.create(new double[] {0, 0, 0, 4, 5}, new long[] {5}, DataType.DOUBLE), gradInput);
    }
}
