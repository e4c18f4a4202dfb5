package io.spikeforge.plugins.thresholds;

import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.convert.ThresholdStrategy;
import io.spikeforge.api.convert.ThresholdStrategyProvider;
import org.pf4j.Extension;

/** Provides {@link MaxThreshold} under the id {@code max}; no parameters. */
@Extension
public final class MaxThresholdProvider implements ThresholdStrategyProvider {
    /** The component id used in experiment YAML. */
    public static final String ID = "max";

    /** Needed by PF4J, which instantiates extensions reflectively. */
    public MaxThresholdProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "The largest ANN activation of each layer (or channel) on the calibration data (Rueckauer et al. 2017)";
    }

    @Override
    public ParameterSchema parameters() {
        return ParameterSchema.empty();
    }

    @Override
    public ThresholdStrategy create(ResolvedParameters parameters) {
        return new MaxThreshold();
    }
}
