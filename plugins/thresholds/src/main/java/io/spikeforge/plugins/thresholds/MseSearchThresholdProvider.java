package io.spikeforge.plugins.thresholds;

import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.convert.ThresholdStrategy;
import io.spikeforge.api.convert.ThresholdStrategyProvider;
import org.pf4j.Extension;

/**
 * Provides {@link MseSearchThreshold} under the id {@code mse-search}. Parameter {@code steps}
 * (default 100, in [1, 100]): the candidates {@code max * (1 - 0.01 i)}, {@code i < steps}.
 */
@Extension
public final class MseSearchThresholdProvider implements ThresholdStrategyProvider {
    /** The component id used in experiment YAML. */
    public static final String ID = "mse-search";
    static final String STEPS = "steps";

    private static final ParameterSchema SCHEMA = ParameterSchema.of(
            ParameterSpec.integer(STEPS).optDefault(100).optRange(1, 100)
                    .optDescription("number of candidates max * (1 - 0.01 i), i = 0 .. steps - 1").build());

    /** Needed by PF4J, which instantiates extensions reflectively. */
    public MseSearchThresholdProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Grid search below the maximum for the least quantization error of the ANN activations (SNN Calibration,"
                + " Li et al. 2021)";
    }

    @Override
    public ParameterSchema parameters() {
        return SCHEMA;
    }

    @Override
    public ThresholdStrategy create(ResolvedParameters parameters) {
        return new MseSearchThreshold(parameters.getInt(STEPS));
    }
}
