package io.spikeforge.plugins.thresholds;

import io.spikeforge.api.component.InvalidParametersException;
import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.convert.ThresholdStrategy;
import io.spikeforge.api.convert.ThresholdStrategyProvider;
import org.pf4j.Extension;

/**
 * Provides {@link TtrbrThreshold} under the id {@code ttrbr}.
 *
 * <p>Parameters: {@code grid} (default 20, in [2, 1000]): the number of candidates; {@code
 * min_fraction} (default 0.05) and {@code max_fraction} (default 1): the smallest and largest
 * candidate as fractions of the reference, {@code 0 < min_fraction < max_fraction}; {@code
 * reference_percentile} (default 100, in (0, 100]): the reference is this percentile of the positive
 * activations (100: the maximum). The defaults try 0.05, 0.10, ..., 1.00 times the maximum.
 */
@Extension
public final class TtrbrThresholdProvider implements ThresholdStrategyProvider {
    /** The component id used in experiment YAML. */
    public static final String ID = "ttrbr";
    static final String GRID = "grid";
    static final String MIN_FRACTION = "min_fraction";
    static final String MAX_FRACTION = "max_fraction";
    static final String REFERENCE_PERCENTILE = "reference_percentile";

    private static final ParameterSchema SCHEMA = ParameterSchema.of(
            ParameterSpec.integer(GRID).optDefault(20).optRange(2, 1000)
                    .optDescription("number of candidate thresholds, evenly spaced; each costs one measurement of the"
                            + " layer").build(),
            ParameterSpec.number(MIN_FRACTION).optDefault(0.05).optMin(0, false)
                    .optDescription("smallest candidate as a fraction of the reference").build(),
            ParameterSpec.number(MAX_FRACTION).optDefault(1.0).optMin(0, false)
                    .optDescription("largest candidate as a fraction of the reference").build(),
            ParameterSpec.number(REFERENCE_PERCENTILE).optDefault(100.0).optMin(0, false).optMax(100, true)
                    .optDescription("percentile of the positive activations the fractions refer to (100: the"
                            + " maximum)").build());

    /** Needed by PF4J, which instantiates extensions reflectively. */
    public TtrbrThresholdProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Threshold tuning (after Meng et al. 2022, Spikeforge's rule): the grid candidate with the least measured"
                + " quantization plus deviation error";
    }

    @Override
    public ParameterSchema parameters() {
        return SCHEMA;
    }

    @Override
    public void validate(ResolvedParameters parameters) {
        double min = parameters.getDouble(MIN_FRACTION);
        double max = parameters.getDouble(MAX_FRACTION);
        if (!(min < max)) {
            throw new InvalidParametersException(MIN_FRACTION, "must be below max_fraction (" + max + "), got " + min);
        }
    }

    @Override
    public ThresholdStrategy create(ResolvedParameters parameters) {
        return new TtrbrThreshold(parameters.getInt(GRID), parameters.getDouble(MIN_FRACTION),
                parameters.getDouble(MAX_FRACTION), parameters.getDouble(REFERENCE_PERCENTILE));
    }
}
