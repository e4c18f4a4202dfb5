package io.spikeforge.testkit.neuron;

import io.spikeforge.api.neuron.SurrogateFunction;

/**
 * The reference for {@link NeuronModelContract}'s comparison with {@link NonLeakyTestNeuron}, written
 * differently from it: the gradient is the explicit sum over paths,
 * {@code dL/dx[k] = sum over t >= k of gS[t] * f(H[t] - 1) * prod over k <= j < t of (1 - S[j])}.
 */
final class NonLeakyNeuronReference implements ScalarNeuronReference {
    private final SurrogateFunction surrogate;

    NonLeakyNeuronReference(SurrogateFunction surrogate) {
        this.surrogate = surrogate;
    }

    @Override
    public double[] spikes(double[] current) {
        double[] spikes = new double[current.length];
        double[] charges = charges(current, spikes);
        return charges == null ? null : spikes;
    }

    @Override
    public double[] gradient(double[] current, double[] gradSpikes) {
        double[] spikes = new double[current.length];
        double[] charges = charges(current, spikes);
        double[] gradient = new double[current.length];
        for (int k = 0; k < current.length; k++) {
            double membranePath = 1;
            for (int t = k; t < current.length; t++) {
                gradient[k] += gradSpikes[t] * surrogate.derivative(charges[t] - NonLeakyTestNeuron.THRESHOLD)
                        * membranePath;
                membranePath *= 1 - spikes[t];
            }
        }
        return gradient;
    }

    /** The charges H[t]; fills {@code spikes}. */
    private static double[] charges(double[] current, double[] spikes) {
        double[] charges = new double[current.length];
        double potential = 0;
        for (int t = 0; t < current.length; t++) {
            charges[t] = potential + current[t];
            spikes[t] = charges[t] >= NonLeakyTestNeuron.THRESHOLD ? 1 : 0;
            potential = spikes[t] == 1 ? 0 : charges[t];
        }
        return charges;
    }
}
