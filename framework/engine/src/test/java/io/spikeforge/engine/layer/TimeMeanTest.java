package io.spikeforge.engine.layer;

import static io.spikeforge.engine.layer.TestTensors.assertClose;
import static io.spikeforge.engine.layer.TestTensors.assertPassed;
import static io.spikeforge.engine.layer.TestTensors.normal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spikeforge.engine.gradcheck.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TimeMeanTest {
    @Test
    void gradientsMatchFiniteDifferencesForAReadout() {
        assertPassed(GradientCheck.withDefaults().check(new TimeMean(3, DataType.DOUBLE), normal(1, 3 * 2, 5)));
    }

    @Test
    void gradientsMatchFiniteDifferencesForFeatureMaps() {
        assertPassed(GradientCheck.withDefaults().check(new TimeMean(2, DataType.DOUBLE), normal(2, 2 * 2, 3, 2, 2)));
    }

    @Test
    void forwardAveragesTheTimeStepsOfEachSample() {
        int timeSteps = 3;
        int batch = 2;
        INDArray x = normal(3, timeSteps * batch, 4);
        INDArray y = new TimeMean(timeSteps, DataType.DOUBLE).forward(x, false);
        assertArrayEquals(new long[] {batch, 4}, y.shape());
        INDArray expected = Nd4j.create(DataType.DOUBLE, batch, 4);
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < 4; k++) {
                double sum = 0;
                for (int t = 0; t < timeSteps; t++) {
                    sum += x.getDouble((long) t * batch + b, k);
                }
                expected.putScalar(b, k, sum / timeSteps);
            }
        }
        assertClose(expected, y, 1e-12);
    }

    @Test
    void aBatchThatIsNotAMultipleOfTIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TimeMean(4, DataType.DOUBLE).forward(normal(1, 6, 2), true));
    }
}
