package io.spikeforge.plugins.lif;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the back-propagation through time of {@link LifReference}, the reference the vectorized neuron
 * is compared with, against central finite differences. The spike's step has no useful derivative, so
 * the check runs on a smooth relaxation ({@code S = sigmoid(4u)}), where the same BPTT code must give
 * the exact gradient of {@code L = sum_t w[t] S[t]}. A detached reset is the function whose reset
 * uses the spikes of the unperturbed run as constants.
 */
class LifReferenceFiniteDifferenceTest {
    private static final double STEP = 1e-6;

    static List<LifReference.Config> configurations() {
        List<LifReference.Config> configs = new ArrayList<>();
        for (double decay : new double[] {0.25, 0.6, 1.0}) {
            for (boolean decayInput : new boolean[] {false, true}) {
                if (decayInput && decay == 1) {
                    continue;
                }
                for (boolean detach : new boolean[] {true, false}) {
                    configs.add(new LifReference.Config(decay, decayInput, 0.5, true, 0, detach, false, 0));
                    configs.add(new LifReference.Config(decay, decayInput, 0.5, true, -0.2, detach, false, -0.2));
                    configs.add(new LifReference.Config(decay, decayInput, 0.5, false, 0, detach, false, 0.1));
                }
            }
        }
        return configs;
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void gradientMatchesFiniteDifferences(LifReference.Config config) {
        LifReference reference = LifReference.smooth(config, 4.0);
        Random random = new Random(11);
        for (int sequence = 0; sequence < 10; sequence++) {
            double[] x = new double[6];
            double[] weights = new double[6];
            for (int t = 0; t < x.length; t++) {
                x[t] = -0.5 + 2 * random.nextDouble();
                weights[t] = -1 + 2 * random.nextDouble();
            }
            double[] frozenResetSpikes = config.detachReset() ? reference.trace(x, null).spikes() : null;
            double[] gradient = reference.gradient(x, weights);
            for (int k = 0; k < x.length; k++) {
                double[] up = x.clone();
                double[] down = x.clone();
                up[k] += STEP;
                down[k] -= STEP;
                double numeric = (loss(reference, up, weights, frozenResetSpikes)
                        - loss(reference, down, weights, frozenResetSpikes)) / (2 * STEP);
                assertEquals(numeric, gradient[k], 1e-6 * Math.max(1, Math.abs(numeric)),
                        config + ", step " + k + " of sequence " + sequence);
            }
        }
    }

    private static double loss(LifReference reference, double[] x, double[] weights, double[] frozenResetSpikes) {
        double[] spikes = reference.trace(x, frozenResetSpikes).spikes();
        double sum = 0;
        for (int t = 0; t < spikes.length; t++) {
            sum += weights[t] * spikes[t];
        }
        return sum;
    }
}
