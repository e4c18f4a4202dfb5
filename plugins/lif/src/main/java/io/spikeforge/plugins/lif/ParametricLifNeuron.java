package io.spikeforge.plugins.lif;

import io.spikeforge.api.model.Parameter;
import io.spikeforge.api.neuron.BaseNeuron;
import io.spikeforge.api.neuron.ChunkCharge;
import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The parametric LIF neuron (Fang et al., ICCV 2021; SpikingJelly's {@code ParametricLIFNode}): the
 * leak of {@link LeakyCharge} with {@code k = 1/tau = sigmoid(w)}, w one trainable number per layer,
 * {@code w = -ln(init_tau - 1)} at the start.
 */
final class ParametricLifNeuron extends BaseNeuron {
    /** The local name of the trainable leak parameter, SpikingJelly's. */
    static final String W = "w";

    private final Parameter w;
    private final boolean decayInput;
    private final double resetPotential;

    ParametricLifNeuron(double initialTau, boolean decayInput, Firing firing, SurrogateFunction surrogate,
                        DataType parameterType) {
        super(firing, surrogate, parameterType);
        if (!(initialTau > 1) || Double.isInfinite(initialTau)) {
            throw new IllegalArgumentException("init_tau must be above 1 and finite, got " + initialTau);
        }
        this.w = scalar(W, -Math.log(initialTau - 1), parameterType);
        this.decayInput = decayInput;
        this.resetPotential = firing.resetPotential();
    }

    /** {@code 1/tau = sigmoid(w)} now. */
    double leak() {
        return 1 / (1 + Math.exp(-w.value().getDouble(0)));
    }

    @Override
    protected void charge(double[] input, double[] potential, double[] charged, int length) {
        LeakyCharge.charge(leak(), decayInput, resetPotential, input, potential, charged, length);
    }

    @Override
    protected void chargeBackward(double[] input, double[] potential, double[] gradCharged, double[] gradInput,
                                  double[] gradPotential, int length) {
        double k = leak();
        double gradLeak = LeakyCharge.backward(k, decayInput, resetPotential, input, potential, gradCharged,
                gradInput, gradPotential, length);
        addGradient(w, gradLeak * k * (1 - k));
    }

    /** The fused path's charge at the current w; its parameter gradient is dL/dw. */
    @Override
    protected ChunkCharge chunkCharge() {
        return LinearChunkCharge.leaky(leak(), decayInput, resetPotential, true);
    }

    @Override
    protected List<Parameter> chargeParameters() {
        return List.of(w);
    }
}
