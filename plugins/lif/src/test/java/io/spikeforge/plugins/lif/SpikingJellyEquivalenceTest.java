package io.spikeforge.plugins.lif;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.testkit.neuron.SmoothTestSurrogate;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code lif} with SpikingJelly's parametrization reproduces SpikingJelly's {@code LIFNode} forward,
 * written here as in {@code neuronal_charge}, {@code neuronal_fire} (heaviside: {@code H >= v_th})
 * and {@code neuronal_reset}:
 * <pre>
 * decay_input=True:  H = V + (X - (V - v_reset)) / tau     (soft reset: v_reset = 0 in the formula)
 * decay_input=False: H = V - (V - v_reset) / tau + X
 * hard: V = S ? v_reset : H        soft: V = H - v_th * S         V starts at v_reset (0 for soft)
 * </pre>
 */
class SpikingJellyEquivalenceTest {
    private static final int STEPS = 8;
    private static final int NEURONS = 200;

    /** SpikingJelly's LIFNode forward for one neuron; {@code resetPotential} null means soft reset. */
    private static double[] lifNode(double[] x, double tau, boolean decayInput, double threshold, Double resetPotential) {
        double vReset = resetPotential == null ? 0 : resetPotential;
        double v = vReset;
        double[] spikes = new double[x.length];
        for (int t = 0; t < x.length; t++) {
            double h = decayInput ? v + (x[t] - (v - vReset)) / tau : v - (v - vReset) / tau + x[t];
            spikes[t] = h - threshold >= 0 ? 1 : 0;
            if (resetPotential == null) {
                v = h - threshold * spikes[t];
            } else {
                v = spikes[t] == 1 ? vReset : h;
            }
        }
        return spikes;
    }

    private static void assertMatchesLifNode(double tau, boolean decayInput, double threshold, Double resetPotential) {
        Map<String, Object> yaml = new HashMap<>();
        yaml.put("tau", tau);
        yaml.put("decay_input", decayInput);
        yaml.put("threshold", threshold);
        yaml.put("reset", resetPotential == null ? "soft" : "hard");
        yaml.put("v_reset", resetPotential == null ? 0.0 : resetPotential);
        yaml.put("detach_reset", false);
        yaml.put("fire_at_threshold", true);
        NeuronModel neuron = Neurons.create(new LifNeuronProvider(), yaml, new SmoothTestSurrogate());

        Random random = new Random(7);
        double[][] x = new double[NEURONS][STEPS];
        double[] flat = new double[STEPS * NEURONS];
        for (int n = 0; n < NEURONS; n++) {
            for (int t = 0; t < STEPS; t++) {
                x[n][t] = -1 + 4 * random.nextDouble();
                flat[t * NEURONS + n] = x[n][t];
            }
        }
        // Batch 4 of 50 neurons each: row t*4 + b holds step t of sample b.
        INDArray current = Nd4j.createFromArray(flat).reshape(STEPS * 4, NEURONS / 4);
        double[] spikes = Neurons.asVector(neuron.forward(current, STEPS, true));
        for (int n = 0; n < NEURONS; n++) {
            double[] expected = lifNode(x[n], tau, decayInput, threshold, resetPotential);
            double[] actual = new double[STEPS];
            for (int t = 0; t < STEPS; t++) {
                actual[t] = spikes[t * NEURONS + n];
            }
            assertArrayEquals(expected, actual, "neuron " + n);
        }
    }

    /** LIFNode() defaults: tau 2, decay_input True, v_threshold 1, v_reset 0. */
    @Test
    void lifNodeDefaults() {
        assertMatchesLifNode(2.0, true, 1.0, 0.0);
    }

    @Test
    void decayInputFalseWithNonzeroResetPotential() {
        assertMatchesLifNode(4.0, false, 1.0, -0.5);
    }

    @Test
    void softReset() {
        assertMatchesLifNode(2.0, true, 1.0, null);
        assertMatchesLifNode(3.0, false, 0.8, null);
    }

    /*
     * tau 2, decay_input, v_reset 0, threshold 1: H = V + (X - V) / 2. x = [1.5, 0.5, 2.5]:
     * H0 = 0.75; H1 = 0.75 + (0.5 - 0.75) / 2 = 0.625; H2 = 0.625 + (2.5 - 0.625) / 2 = 1.5625 -> spike.
     */
    @Test
    void handComputedLifNodeSequence() {
        NeuronModel neuron = Neurons.create(new LifNeuronProvider(), Map.of("tau", 2.0, "decay_input", true,
                "threshold", 1.0, "detach_reset", false, "fire_at_threshold", true), new SmoothTestSurrogate());
        assertArrayEquals(new double[] {0, 0, 1}, Neurons.spikes(neuron, DataType.DOUBLE, 1.5, 0.5, 2.5));
    }
}
