package io.spikeforge.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spikeforge.api.model.Parameter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class SgdTest {
    /**
     * Several steps with changing gradients and learning rates against a scalar transcription of
     * torch.optim.SGD's update (dampening 0).
     */
    @ParameterizedTest
    @CsvSource({"0.9, 1e-4, false", "0.9, 1e-4, true", "0.0, 0.0, false", "0.5, 0.01, false"})
    void matchesPyTorchsUpdateRule(double momentum, double weightDecay, boolean nesterov) {
        Random random = new Random(7);
        int n = 6;
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = random.nextGaussian();
        }
        // a matrix, as layers' parameters are: the update must reach it through a flat view
        Parameter parameter = new Parameter("weight", Nd4j.createFromArray(p.clone()).castTo(DataType.DOUBLE)
                .reshape(2, 3).dup());
        Sgd sgd = new Sgd(momentum, weightDecay, nesterov);
        double[] buf = null;
        double[] lrs = {0.1, 0.1, 0.05, 0.01};
        for (double lr : lrs) {
            double[] grad = new double[n];
            for (int i = 0; i < n; i++) {
                grad[i] = random.nextGaussian();
            }
            parameter.gradient().assign(Nd4j.createFromArray(grad).reshape(2, 3));

            double[] g = new double[n];
            for (int i = 0; i < n; i++) {
                g[i] = grad[i] + weightDecay * p[i];
            }
            if (momentum != 0) {
                if (buf == null) {
                    buf = g.clone();
                } else {
                    for (int i = 0; i < n; i++) {
                        buf[i] = momentum * buf[i] + g[i];
                    }
                }
                for (int i = 0; i < n; i++) {
                    g[i] = nesterov ? g[i] + momentum * buf[i] : buf[i];
                }
            }
            for (int i = 0; i < n; i++) {
                p[i] -= lr * g[i];
            }

            sgd.step(List.of(parameter), lr);
            assertArrayEquals(p, parameter.value().reshape(n).toDoubleVector(), 1e-12);
            assertArrayEquals(grad, parameter.gradient().reshape(n).toDoubleVector(), 0.0,
                    "the gradient is left to the caller");
        }
    }

    @Test
    void rejectsImpossibleSettings() {
        assertThrows(IllegalArgumentException.class, () -> new Sgd(1.0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0.9, -1e-4, false));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0.0, 0, true));
    }
}
