package io.spikeforge.plugins.lif;

import io.spikeforge.api.component.ParameterSpec;

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

    static ParameterSpec decayInput() {
        return ParameterSpec.bool(DECAY_INPUT).optDefault(true)
                .optDescription("scale the input by 1/tau as well as the potential's distance to v_reset"
                        + " (SpikingJelly's decay_input)").build();
    }
}
