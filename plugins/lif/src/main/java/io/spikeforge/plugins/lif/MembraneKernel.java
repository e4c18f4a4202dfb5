package io.spikeforge.plugins.lif;

import io.spikeforge.api.kernel.KernelPath;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One way of computing the {@link MembraneDynamics} of a layer over all T steps, for one
 * {@link KernelPath}. {@link SpikingNeuron} checks the arguments, owns the spike and potential
 * buffers, and selects the implementation; tensors are time-major {@code [T, M]}, M neurons per step.
 */
interface MembraneKernel {
    /** The path this implementation computes on; it takes the tensors the path {@link KernelPath#accepts}. */
    KernelPath path();

    /**
     * Runs the T steps from the initial state.
     *
     * @param current X, {@code [T, M]}
     * @param spikes S, {@code [T, M]}, written
     * @param charges the charged potential H of every step, {@code [T, M]}, written; null in inference
     */
    void forward(INDArray current, INDArray spikes, INDArray charges);

    /**
     * One inference time-step of {@link #forward}'s loop, with what it carries between steps in
     * {@code state} instead of its own buffers, so that stepping T times gives forward's spikes bit
     * for bit.
     *
     * @param current X of the step, {@code [M]}, a tensor the path accepts
     * @param spikes S, {@code [M]}, written
     * @param state what this implementation carries to the next step, {@code [M]}: read (unless
     *     {@code first}) and written
     * @param work scratch of {@code [M]} elements where the implementation needs it (the ops), else null
     * @param first whether this is step 0, which starts from the initial state
     */
    void step(INDArray current, INDArray spikes, INDArray state, INDArray work, boolean first);

    /**
     * Back-propagation through time: replaces the charges H of the training forward by dL/dX.
     *
     * @param gradSpikes dL/dS, {@code [T, M]}
     * @param charges H of every step, {@code [T, M]}, as the forward left them; overwritten
     */
    void backward(INDArray gradSpikes, INDArray charges);

    /** Drops what this implementation keeps between calls (views of the layer's buffers, buffers of its own). */
    void clear();
}
