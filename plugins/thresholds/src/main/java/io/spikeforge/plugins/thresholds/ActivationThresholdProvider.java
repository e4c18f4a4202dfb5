package io.spikeforge.plugins.thresholds;

import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.convert.ThresholdStrategy;
import io.spikeforge.api.convert.ThresholdStrategyProvider;
import org.pf4j.Extension;

/** Provides {@link ActivationThreshold} under the id {@code activation}; no parameters. */
@Extension
public final class ActivationThresholdProvider implements ThresholdStrategyProvider {
    /** The component id used in experiment YAML. */
    public static final String ID = "activation";

    /** Needed by PF4J, which instantiates extensions reflectively. */
    public ActivationThresholdProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "The threshold the ANN's activation defines (QCFS's trained lambda), for all channels; not for ReLU";
    }

    @Override
    public ParameterSchema parameters() {
        return ParameterSchema.empty();
    }

    @Override
    public ThresholdStrategy create(ResolvedParameters parameters) {
        return new ActivationThreshold();
    }
}
