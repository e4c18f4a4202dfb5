package io.spikeforge.plugins.lif;

import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.neuron.BaseNeuron;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.SurrogateFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.pf4j.Extension;

/**
 * Provides {@code alif}: SpikingJelly's LIF charge with the adaptive threshold of Bellec et al.
 * (NeurIPS 2018, the ALIF neuron of LSNNs): {@code theta[t] = threshold + beta a[t]},
 * {@code a[t+1] = rho a[t] + (1 - rho) S[t]}, {@code a[0] = 0}, {@code rho = exp(-1/tau_adaptation)}.
 * Each spike raises the threshold by {@code beta (1 - rho)}, and the rise decays by {@code rho} per
 * step. No parameter is trainable.
 */
@Extension
public final class AdaptiveLifNeuronProvider extends NeuronProviderBase {
    /** The component id used in YAML. */
    public static final String ID = "alif";
    static final String ADAPTATION = "adaptation";
    static final String TAU_ADAPTATION = "tau_adaptation";

    private static final ParameterSchema SCHEMA = SpikingJellyLif.schema(
            SpikingJellyLif.tau(),
            ParameterSpec.number(ADAPTATION).optDefault(1.8).optMin(0, true)
                    .optDescription("beta: the threshold's rise per unit of adaptation (Bellec et al. 2018: 1.8)")
                    .build(),
            ParameterSpec.number(TAU_ADAPTATION).optDefault(20.0).optMin(0, false)
                    .optDescription("time constant of the adaptation in steps; it decays by exp(-1/tau_adaptation)"
                            + " per step").build());

    /** Creates the provider; the plugin host calls this. */
    public AdaptiveLifNeuronProvider() {
        super(ID, "LIF neuron (SpikingJelly's LIFNode charge) with an adaptive threshold (Bellec et al. 2018):"
                + " each spike raises it, and it decays back with tau_adaptation", SCHEMA);
    }

    @Override
    public NeuronModel create(ResolvedParameters parameters, SurrogateFunction surrogate, DataType dataType) {
        BaseNeuron.Firing fixed = NeuronParameters.firing(parameters, false);
        BaseNeuron.Firing adaptive = new BaseNeuron.Firing(fixed.threshold(), false, fixed.softReset(),
                fixed.resetPotential(), fixed.detachReset(), fixed.fireAtThreshold(), parameters.getDouble(ADAPTATION),
                Math.exp(-1 / parameters.getDouble(TAU_ADAPTATION)));
        return new FixedLeakNeuron(parameters.getDouble(SpikingJellyLif.TAU),
                parameters.getBoolean(SpikingJellyLif.DECAY_INPUT), adaptive, surrogate, dataType);
    }
}
