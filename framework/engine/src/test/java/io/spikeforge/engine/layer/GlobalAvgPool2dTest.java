package io.spikeforge.engine.layer;

import static io.spikeforge.engine.layer.TestTensors.assertClose;
import static io.spikeforge.engine.layer.TestTensors.assertPassed;
import static io.spikeforge.engine.layer.TestTensors.normal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.spikeforge.engine.gradcheck.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GlobalAvgPool2dTest {
    @Test
    void gradientsMatchFiniteDifferences() {
        assertPassed(GradientCheck.withDefaults().check(new GlobalAvgPool2d(DataType.DOUBLE), normal(1, 3, 2, 3, 4)));
    }

    @Test
    void forwardAveragesEachFeatureMap() {
        INDArray x = normal(2, 2, 3, 2, 5);
        INDArray y = new GlobalAvgPool2d(DataType.DOUBLE).forward(x, false);
        assertArrayEquals(new long[] {2, 3}, y.shape());
        INDArray expected = Nd4j.create(DataType.DOUBLE, 2, 3);
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                double sum = 0;
                for (int h = 0; h < 2; h++) {
                    for (int w = 0; w < 5; w++) {
                        sum += x.getDouble(n, c, h, w);
                    }
                }
                expected.putScalar(n, c, sum / 10);
            }
        }
        assertClose(expected, y, 1e-12);
    }
}
