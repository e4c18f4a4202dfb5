package io.spikeforge.testkit.neuron;

/**
 * A straightforward per-element reference of a neuron model, written with scalar loops, that {@link
 * NeuronModelContract} compares the vectorized model against. One call handles the time sequence of one
 * element (one neuron of one sample).
 */
public interface ScalarNeuronReference {
    /**
     * The spikes of one neuron.
     *
     * @param current its input current at steps {@code 0 .. T-1}
     * @return its spikes (0 or 1) at steps {@code 0 .. T-1}
     */
    double[] spikes(double[] current);

    /**
     * Back-propagation through time for one neuron, with the surrogate the model was built with.
     *
     * @param current its input current at steps {@code 0 .. T-1}
     * @param gradSpikes dL/dspike at steps {@code 0 .. T-1}
     * @return dL/dcurrent at steps {@code 0 .. T-1}
     */
    double[] gradient(double[] current, double[] gradSpikes);
}
