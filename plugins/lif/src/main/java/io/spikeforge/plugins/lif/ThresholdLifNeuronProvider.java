package io.spikeforge.plugins.lif;

import io.spikeforge.api.component.ParameterProblem;
import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.NeuronModelProvider;
import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.pf4j.Extension;

/**
 * Provides {@code lif-trainable-threshold}: SpikingJelly's {@code LIFNode} dynamics with a fixed
 * {@code tau} and the firing threshold a trainable number per layer ({@code threshold}, starting at
 * the {@code threshold} parameter). The threshold enters the fire step and the soft reset, so it
 * gets the gradient of both.
 */
@Extension
public final class ThresholdLifNeuronProvider implements NeuronModelProvider {
    /** The component id used in YAML. */
    public static final String ID = "lif-trainable-threshold";

    private static final ParameterSchema SCHEMA = ParameterSchema.of(
            SpikingJellyLif.tau(),
            SpikingJellyLif.decayInput(),
            NeuronParameters.threshold(1.0),
            NeuronParameters.reset(ResetMode.HARD),
            NeuronParameters.resetPotential(),
            NeuronParameters.detachReset(false),
            NeuronParameters.fireAtThreshold(true, "SpikingJelly fires at it"));

    /** Creates the provider; the plugin host calls this. */
    public ThresholdLifNeuronProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "LIF neuron (SpikingJelly's LIFNode) whose firing threshold is a trainable parameter per layer,"
                + " threshold, starting at the threshold parameter";
    }

    @Override
    public ParameterSchema parameters() {
        return SCHEMA;
    }

    @Override
    public void validate(ResolvedParameters parameters) {
        List<ParameterProblem> problems = new ArrayList<>();
        NeuronParameters.check(parameters, problems);
        NeuronParameters.throwIfAny(problems);
    }

    /** Neurons whose parameter is FLOAT, the training's type; the engine calls the typed form. */
    @Override
    public NeuronModel create(ResolvedParameters parameters, SurrogateFunction surrogate) {
        return create(parameters, surrogate, DataType.FLOAT);
    }

    @Override
    public NeuronModel create(ResolvedParameters parameters, SurrogateFunction surrogate, DataType dataType) {
        return new FixedLeakNeuron(parameters.getDouble(SpikingJellyLif.TAU), parameters.getBoolean(SpikingJellyLif.DECAY_INPUT), NeuronParameters.firing(parameters, true),
                surrogate, dataType);
    }
}
