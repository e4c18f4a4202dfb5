package io.spikeforge.plugins.lif;

import io.spikeforge.api.neuron.BaseNeuron;
import io.spikeforge.api.neuron.ChunkCharge;
import io.spikeforge.api.neuron.SurrogateFunction;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * SpikingJelly's LIF charge ({@link LeakyCharge}) with a fixed {@code tau}, on {@link BaseNeuron}: the
 * neuron of {@code lif-trainable-threshold} (a trainable threshold) and {@code alif} (an adaptive one),
 * which differ only in their {@link BaseNeuron.Firing}.
 */
final class FixedLeakNeuron extends BaseNeuron {
    private final double leak;
    private final boolean decayInput;
    private final double resetPotential;
    private final LinearChunkCharge chunkCharge;

    FixedLeakNeuron(double tau, boolean decayInput, Firing firing, SurrogateFunction surrogate,
                                DataType parameterType) {
        super(firing, surrogate, parameterType);
        if (!(tau >= 1) || Double.isInfinite(tau)) {
            throw new IllegalArgumentException("tau must be at least 1 and finite, got " + tau);
        }
        this.leak = 1 / tau;
        this.decayInput = decayInput;
        this.resetPotential = firing.resetPotential();
        this.chunkCharge = LinearChunkCharge.leaky(leak, decayInput, resetPotential, false);
    }

    @Override
    protected ChunkCharge chunkCharge() {
        return chunkCharge;
    }

    @Override
    protected void charge(double[] input, double[] potential, double[] charged, int length) {
        LeakyCharge.charge(leak, decayInput, resetPotential, input, potential, charged, length);
    }

    @Override
    protected void chargeBackward(double[] input, double[] potential, double[] gradCharged, double[] gradInput,
                                  double[] gradPotential, int length) {
        LeakyCharge.backward(leak, decayInput, resetPotential, input, potential, gradCharged, gradInput,
                gradPotential, length);
    }
}
