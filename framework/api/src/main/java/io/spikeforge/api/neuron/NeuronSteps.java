package io.spikeforge.api.neuron;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One layer's neurons run one time-step at a time, for inference: the state between steps (the
 * membrane potential, an adaptation) is all it keeps, so memory does not grow with T. Made by
 * {@link NeuronModel#startSteps()}, which starts from the initial state; stepping T times gives
 * the spikes of an inference-mode {@link NeuronModel#forward} over T steps, bit for bit (the
 * contract tests of {@code testkit} check it). Not thread-safe.
 */
public interface NeuronSteps {
    /**
     * Runs the next time-step from the state the previous one left (the initial state at the first).
     *
     * @param current the input current of this step, {@code [B, ...]}, FLOAT or DOUBLE; the same
     *     shape and data type at every step
     * @return the spikes (0 or 1) with the shape and data type of {@code current}, a buffer valid
     *     until the next step
     * @throws IllegalArgumentException when {@code current} has another shape or data type than the
     *     first step's
     */
    INDArray step(INDArray current);

    /** The steps run so far. */
    int stepsTaken();
}
