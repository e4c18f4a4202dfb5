package io.spikeforge.plugins.lif;

import io.spikeforge.api.neuron.BaseNeuron;
import io.spikeforge.api.neuron.SurrogateFunction;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * SpikingJelly's LIF charge ({@link LeakyCharge}, fixed {@code tau}) with a trainable firing
 * threshold, one number per layer ({@link BaseNeuron#THRESHOLD}).
 */
final class TrainableThresholdLifNeuron extends BaseNeuron {
    private final double leak;
    private final boolean decayInput;
    private final double resetPotential;

    TrainableThresholdLifNeuron(double tau, boolean decayInput, Firing firing, SurrogateFunction surrogate,
                                DataType parameterType) {
        super(firing, surrogate, parameterType);
        if (!(tau >= 1) || Double.isInfinite(tau)) {
            throw new IllegalArgumentException("tau must be at least 1 and finite, got " + tau);
        }
        this.leak = 1 / tau;
        this.decayInput = decayInput;
        this.resetPotential = firing.resetPotential();
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
