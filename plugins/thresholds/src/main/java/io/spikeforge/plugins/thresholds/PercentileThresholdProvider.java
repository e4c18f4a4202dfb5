package io.spikeforge.plugins.thresholds;

import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.convert.ThresholdStrategy;
import io.spikeforge.api.convert.ThresholdStrategyProvider;
import org.pf4j.Extension;

/**
 * Provides {@link PercentileThreshold} under the id {@code percentile}.
 *
 * <p>Parameters: {@code p} (default 99.9, in (0, 100]): the percentile; {@code include_zeros}
 * (default false): whether activations that are not positive count (false: Rueckauer et al.'s code;
 * true: SpikingJelly's {@code "99.9%"} mode).
 */
@Extension
public final class PercentileThresholdProvider implements ThresholdStrategyProvider {
    /** The component id used in experiment YAML. */
    public static final String ID = "percentile";
    static final String P = "p";
    static final String INCLUDE_ZEROS = "include_zeros";

    private static final ParameterSchema SCHEMA = ParameterSchema.of(
            ParameterSpec.number(P).optDefault(99.9).optMin(0, false).optMax(100, true)
                    .optDescription("the percentile of the activations taken as threshold (100: the maximum)").build(),
            ParameterSpec.bool(INCLUDE_ZEROS).optDefault(false)
                    .optDescription("count activations that are not positive (SpikingJelly) or only positive ones"
                            + " (Rueckauer et al.)").build());

    /** Needed by PF4J, which instantiates extensions reflectively. */
    public PercentileThresholdProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "The p-th percentile of each layer's (or channel's) ANN activations, exact (Rueckauer et al. 2017)";
    }

    @Override
    public ParameterSchema parameters() {
        return SCHEMA;
    }

    @Override
    public ThresholdStrategy create(ResolvedParameters parameters) {
        return new PercentileThreshold(parameters.getDouble(P), parameters.getBoolean(INCLUDE_ZEROS));
    }
}
