package io.spikeforge.plugins.lif;

import io.spikeforge.api.component.ParameterSpec;

/** The parameter of the neurons built on SpikingJelly's LIF charge ({@link LeakyCharge}) beyond the shared ones. */
final class SpikingJellyLif {
    static final String DECAY_INPUT = "decay_input";

    private SpikingJellyLif() {
    }

    static ParameterSpec decayInput() {
        return ParameterSpec.bool(DECAY_INPUT).optDefault(true)
                .optDescription("scale the input by 1/tau as well as the potential's distance to v_reset"
                        + " (SpikingJelly's decay_input)").build();
    }
}
