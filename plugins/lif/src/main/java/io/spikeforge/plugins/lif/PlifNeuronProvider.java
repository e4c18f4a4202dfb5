package io.spikeforge.plugins.lif;

import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.SurrogateFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.pf4j.Extension;

/**
 * Provides {@code plif}, the parametric LIF neuron of Fang et al. (ICCV 2021) as SpikingJelly's
 * {@code ParametricLIFNode(init_tau, decay_input, v_threshold, v_reset, detach_reset)}: a trainable
 * {@code w} per layer with {@code 1/tau = sigmoid(w)}; the defaults are SpikingJelly's.
 */
@Extension
public final class PlifNeuronProvider extends NeuronProviderBase {
    /** The component id used in YAML. */
    public static final String ID = "plif";
    static final String INIT_TAU = "init_tau";

    private static final ParameterSchema SCHEMA = SpikingJellyLif.schema(
            ParameterSpec.number(INIT_TAU).optDefault(2.0).optMin(1, false)
                    .optDescription("initial membrane time constant; trains as w = -ln(tau - 1), 1/tau = sigmoid(w)")
                    .build());

    /** Creates the provider; the plugin host calls this. */
    public PlifNeuronProvider() {
        super(ID, "Parametric LIF neuron (Fang et al. 2021, SpikingJelly's ParametricLIFNode): a trainable time"
                + " constant per layer, parameter w with 1/tau = sigmoid(w)", SCHEMA);
    }

    @Override
    public NeuronModel create(ResolvedParameters parameters, SurrogateFunction surrogate, DataType dataType) {
        return new ParametricLifNeuron(parameters.getDouble(INIT_TAU), parameters.getBoolean(SpikingJellyLif.DECAY_INPUT),
                NeuronParameters.firing(parameters, false), surrogate, dataType);
    }
}
