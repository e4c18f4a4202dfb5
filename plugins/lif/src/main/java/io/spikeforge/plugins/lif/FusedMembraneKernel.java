package io.spikeforge.plugins.lif;

import io.spikeforge.api.kernel.KernelPath;
import io.spikeforge.api.neuron.BaseNeuron;
import io.spikeforge.api.neuron.ChannelAffine;
import io.spikeforge.api.neuron.FloatChunkKernel;
import io.spikeforge.api.neuron.SurrogateFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link MembraneDynamics} on the API's fused float kernel ({@link FloatChunkKernel},
 * {@link KernelPath#HOST_FLOAT}) with {@code lif}'s and {@code if}'s charge step,
 * {@link LinearChunkCharge}: one pass per direction where {@link OpMembraneKernel} makes four
 * (forward) to eleven (backward).
 */
final class FusedMembraneKernel implements MembraneKernel {
    private final FloatChunkKernel kernel;
    private final LinearChunkCharge charge;
    private final double threshold;

    FusedMembraneKernel(MembraneDynamics dynamics, SurrogateFunction surrogate) {
        this.kernel = new FloatChunkKernel(new BaseNeuron.Firing(dynamics.threshold(), false,
                dynamics.reset() == ResetMode.SOFT, dynamics.resetPotential(), dynamics.detachReset(),
                dynamics.fireAtThreshold()), surrogate);
        this.charge = LinearChunkCharge.of(dynamics);
        this.threshold = dynamics.threshold();
    }

    @Override
    public KernelPath path() {
        return KernelPath.HOST_FLOAT;
    }

    @Override
    public void forward(INDArray current, INDArray spikes, INDArray charges) {
        kernel.forward(charge, threshold, current, spikes, charges);
    }

    /**
     * {@link #forward} on the current {@code affine} maps {@code current} to, applied by the kernel
     * as it reads each chunk ({@link FloatChunkKernel#forward(io.spikeforge.api.neuron.ChunkCharge,
     * double, INDArray, ChannelAffine, INDArray, INDArray, INDArray)}); dense FLOAT tensors only.
     */
    void forward(INDArray current, ChannelAffine affine, INDArray spikes, INDArray charges) {
        kernel.forward(charge, threshold, current, affine, spikes, charges, null);
    }

    /** The state is the potential after the reset; no work space is needed. */
    @Override
    public void step(INDArray current, INDArray spikes, INDArray state, INDArray work, boolean first) {
        kernel.step(charge, threshold, first, current, spikes, state, null);
    }

    @Override
    public void backward(INDArray gradSpikes, INDArray charges) {
        kernel.backward(charge, 0, threshold, gradSpikes, charges, null);
    }

    /** Nothing to drop: the kernel's scratch arrays belong to the threads. */
    @Override
    public void clear() {
    }
}
