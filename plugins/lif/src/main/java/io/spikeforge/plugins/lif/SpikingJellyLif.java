package io.spikeforge.plugins.lif;

import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ParameterSpec;
import java.util.ArrayList;
import java.util.List;

/** The parameters of the neurons built on SpikingJelly's LIF charge ({@link LeakyCharge}) beyond the shared ones. */
final class SpikingJellyLif {
    static final String DECAY_INPUT = "decay_input";
    static final String TAU = "tau";

    private SpikingJellyLif() {
    }

    /** SpikingJelly's fixed {@code tau}. */
    static ParameterSpec tau() {
        return ParameterSpec.number(TAU).optDefault(2.0).optMin(1, true)
                .optDescription("membrane time constant, 1/tau the leak per step (SpikingJelly's tau)").build();
    }

    /**
     * The schema of a neuron on SpikingJelly's LIF charge: its own parameters, then
     * {@code decay_input} and the firing and reset parameters with SpikingJelly's defaults
     * (threshold 1, hard reset to 0, the reset not detached, firing at the threshold).
     */
    static ParameterSchema schema(ParameterSpec... own) {
        List<ParameterSpec> specs = new ArrayList<>(List.of(own));
        specs.addAll(List.of(decayInput(),
                NeuronParameters.threshold(1.0),
                NeuronParameters.reset(ResetMode.HARD),
                NeuronParameters.resetPotential(),
                NeuronParameters.detachReset(false),
                NeuronParameters.fireAtThreshold(true, "SpikingJelly fires at it")));
        return ParameterSchema.of(specs.toArray(new ParameterSpec[0]));
    }

    static ParameterSpec decayInput() {
        return ParameterSpec.bool(DECAY_INPUT).optDefault(true)
                .optDescription("scale the input by 1/tau as well as the potential's distance to v_reset"
                        + " (SpikingJelly's decay_input)").build();
    }
}
