package io.spikeforge.plugins.lif;

import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.SurrogateFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.pf4j.Extension;

/**
 * Provides {@code lif-trainable-threshold}: SpikingJelly's {@code LIFNode} dynamics with a fixed
 * {@code tau} and the firing threshold a trainable number per layer ({@code threshold}, starting at
 * the {@code threshold} parameter). The threshold enters the fire step and the soft reset, so it
 * gets the gradient of both.
 */
@Extension
public final class ThresholdLifNeuronProvider extends NeuronProviderBase {
    /** The component id used in YAML. */
    public static final String ID = "lif-trainable-threshold";

    private static final ParameterSchema SCHEMA = SpikingJellyLif.schema(SpikingJellyLif.tau());

    /** Creates the provider; the plugin host calls this. */
    public ThresholdLifNeuronProvider() {
        super(ID, "LIF neuron (SpikingJelly's LIFNode) whose firing threshold is a trainable parameter per layer,"
                + " threshold, starting at the threshold parameter", SCHEMA);
    }

    @Override
    public NeuronModel create(ResolvedParameters parameters, SurrogateFunction surrogate, DataType dataType) {
        return new FixedLeakNeuron(parameters.getDouble(SpikingJellyLif.TAU), parameters.getBoolean(SpikingJellyLif.DECAY_INPUT), NeuronParameters.firing(parameters, true),
                surrogate, dataType);
    }
}
