package io.spikeforge.plugins.lif;

import static io.spikeforge.plugins.lif.NeuronParameters.DETACH_RESET;
import static io.spikeforge.plugins.lif.NeuronParameters.FIRE_AT_THRESHOLD;
import static io.spikeforge.plugins.lif.NeuronParameters.RESET;
import static io.spikeforge.plugins.lif.NeuronParameters.RESET_POTENTIAL;
import static io.spikeforge.plugins.lif.NeuronParameters.THRESHOLD;

import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.pf4j.Extension;

/**
 * Provides the {@code if} neuron for ANN-to-SNN conversion: no leak ({@code H = V + X}), soft reset
 * ("reset by subtraction") and firing at {@code V >= threshold} by default, and an initial membrane
 * potential given as a fraction of the threshold ({@code initial_membrane: 0.5} starts at
 * {@code threshold / 2}, as in Bu et al. 2022).
 */
@Extension
public final class IfNeuronProvider extends NeuronProviderBase {
    /** The component id used in YAML. */
    public static final String ID = "if";
    static final String INITIAL_MEMBRANE = "initial_membrane";

    private static final List<ParameterSpec> SPECS = List.of(
            NeuronParameters.threshold(1.0),
            NeuronParameters.reset(ResetMode.SOFT),
            NeuronParameters.resetPotential(),
            ParameterSpec.number(INITIAL_MEMBRANE).optDefault(0.0).optRange(0, 1)
                    .optDescription("membrane potential before the first step, as a fraction of the threshold"
                            + " (0.5 = threshold/2 as Bu et al. 2022)").build(),
            NeuronParameters.detachReset(),
            NeuronParameters.fireAtThreshold(true, "conversion fires at it"));
    private static final ParameterSchema SCHEMA = ParameterSchema.of(SPECS.toArray(new ParameterSpec[0]));

    /** Creates the provider; the plugin host calls this. */
    public IfNeuronProvider() {
        super(ID, "Integrate-and-fire neuron for ANN-to-SNN conversion: no leak, soft reset, configurable initial"
                + " membrane potential", SCHEMA);
    }

    /** Neurons without parameters: their data type follows the current's. */
    @Override
    public NeuronModel create(ResolvedParameters parameters, SurrogateFunction surrogate, DataType dataType) {
        return new SpikingNeuron(dynamics(parameters), surrogate);
    }

    /** The dynamics the parameters describe; they must have passed {@link #validate}. */
    static MembraneDynamics dynamics(ResolvedParameters parameters) {
        double threshold = parameters.getDouble(THRESHOLD);
        return new MembraneDynamics(
                1,
                1,
                threshold,
                ResetMode.fromWord(parameters.getString(RESET)),
                parameters.getDouble(RESET_POTENTIAL),
                parameters.getBoolean(DETACH_RESET),
                parameters.getBoolean(FIRE_AT_THRESHOLD),
                parameters.getDouble(INITIAL_MEMBRANE) * threshold);
    }
}
