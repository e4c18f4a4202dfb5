package io.spikeforge.plugins.lif;

import static io.spikeforge.plugins.lif.NeuronParameters.DETACH_RESET;
import static io.spikeforge.plugins.lif.NeuronParameters.FIRE_AT_THRESHOLD;
import static io.spikeforge.plugins.lif.NeuronParameters.RESET;
import static io.spikeforge.plugins.lif.NeuronParameters.RESET_POTENTIAL;
import static io.spikeforge.plugins.lif.NeuronParameters.THRESHOLD;

import io.spikeforge.api.component.ParameterProblem;
import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.pf4j.Extension;

/**
 * Provides the {@code lif} neuron. Its defaults are the IDSNN reference neuron: {@code mem(0) = x(0)},
 * {@code mem(t) = 0.25 * mem(t-1) * (1 - spike(t-1)) + x(t)}, spike when {@code mem > 0.5}, hard
 * reset to 0 left out of the gradient.
 *
 * <p>It also covers SpikingJelly's {@code LIFNode(tau, decay_input, v_threshold, v_reset,
 * detach_reset)} with {@code decay = 1 - 1/tau}. SpikingJelly charges
 * <pre>
 * decay_input=True:  H = V + (X - (V - v_reset)) / tau  =  decay * V + (1 - decay) * v_reset + (1 - decay) * X
 * decay_input=False: H = V - (V - v_reset) / tau + X    =  decay * V + (1 - decay) * v_reset + X
 * </pre>
 * (soft reset: {@code v_reset = None}, the same formulas with 0), fires when {@code H >= v_threshold}
 * ({@code fire_at_threshold: true} here) and by default does not detach the reset
 * ({@code detach_reset: false} here). The SpikingJelly defaults are therefore {@code tau: 2,
 * decay_input: true, threshold: 1.0, v_reset: 0.0, detach_reset: false, fire_at_threshold: true}.
 */
@Extension
public final class LifNeuronProvider extends NeuronProviderBase {
    /** The component id used in YAML. */
    public static final String ID = "lif";
    static final String DECAY = "decay";
    static final String TAU = "tau";
    static final String DECAY_INPUT = "decay_input";
    /** The leak factor of the IDSNN reference neuron, used when neither decay nor tau is given. */
    static final double IDSNN_DECAY = 0.25;

    private static final List<ParameterSpec> SPECS = List.of(
            ParameterSpec.number(DECAY).optional().optRange(0, 1)
                    .optDescription("leak factor per step, V -> decay * V (0.25 as IDSNN when neither decay nor tau is"
                            + " given); give decay or tau, not both").build(),
            ParameterSpec.number(TAU).optional().optMin(1, false)
                    .optDescription("membrane time constant as in SpikingJelly: decay = 1 - 1/tau (a run records it as"
                            + " that decay)").build(),
            ParameterSpec.bool(DECAY_INPUT).optDefault(false)
                    .optDescription("scale the input by 1 - decay, as SpikingJelly's decay_input=True (IDSNN: false)")
                    .build(),
            NeuronParameters.threshold(0.5),
            NeuronParameters.reset(ResetMode.HARD),
            NeuronParameters.resetPotential(),
            NeuronParameters.detachReset(),
            NeuronParameters.fireAtThreshold(false, "IDSNN fires only above it, SpikingJelly at it"));
    private static final ParameterSchema SCHEMA = ParameterSchema.of(SPECS.toArray(new ParameterSpec[0]));

    /** Creates the provider; the plugin host calls this. */
    public LifNeuronProvider() {
        super(ID, "Leaky integrate-and-fire neuron; defaults reproduce the IDSNN reference neuron, parameters cover"
                    + " SpikingJelly's LIFNode", SCHEMA);
    }

    /** decay or tau, not both; decay_input needs a leak. */
    @Override
    List<ParameterProblem> problems(ResolvedParameters parameters) {
        List<ParameterProblem> problems = new ArrayList<>();
        if (parameters.isSet(DECAY) && parameters.isSet(TAU)) {
            problems.add(new ParameterProblem(TAU, "cannot be combined with '" + DECAY + "'; give one of them"
                    + " (decay = 1 - 1/tau) or neither for decay " + IDSNN_DECAY));
        } else if (parameters.getBoolean(DECAY_INPUT) && decay(parameters) == 1) {
            problems.add(new ParameterProblem(DECAY_INPUT, "needs a leak: with decay 1 the input would be scaled by"
                    + " 1 - decay = 0; use a decay below 1 or decay_input: false"));
        }
        return problems;
    }

    /** Records the leak used: decay 0.25 when neither decay nor tau is given, and tau as its decay 1 - 1/tau. */
    @Override
    public ResolvedParameters complete(ResolvedParameters parameters) {
        if (parameters.isSet(TAU)) {
            return parameters.with(DECAY, decay(parameters)).with(TAU, null);
        }
        return parameters.isSet(DECAY) ? parameters : parameters.with(DECAY, IDSNN_DECAY);
    }

    /** Neurons without parameters: their data type follows the current's. */
    @Override
    public NeuronModel create(ResolvedParameters parameters, SurrogateFunction surrogate, DataType dataType) {
        return new SpikingNeuron(dynamics(parameters), surrogate);
    }

    /** The dynamics the parameters describe; they must have passed {@link #validate}. */
    static MembraneDynamics dynamics(ResolvedParameters parameters) {
        double decay = decay(parameters);
        double resetPotential = parameters.getDouble(RESET_POTENTIAL);
        return new MembraneDynamics(
                decay,
                parameters.getBoolean(DECAY_INPUT) ? 1 - decay : 1,
                parameters.getDouble(THRESHOLD),
                ResetMode.fromWord(parameters.getString(RESET)),
                resetPotential,
                parameters.getBoolean(DETACH_RESET),
                parameters.getBoolean(FIRE_AT_THRESHOLD),
                // Both IDSNN (mem(0) = x(0)) and SpikingJelly start from the reset potential.
                resetPotential);
    }

    private static double decay(ResolvedParameters parameters) {
        if (parameters.isSet(TAU)) {
            return 1 - 1 / parameters.getDouble(TAU);
        }
        return parameters.isSet(DECAY) ? parameters.getDouble(DECAY) : IDSNN_DECAY;
    }
}
