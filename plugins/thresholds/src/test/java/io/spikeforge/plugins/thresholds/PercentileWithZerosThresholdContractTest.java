package io.spikeforge.plugins.thresholds;

import io.spikeforge.api.convert.ThresholdStrategy;
import io.spikeforge.testkit.convert.ThresholdStrategyContract;

/** The threshold strategy contract for percentile at p = 90 over all activations, zeros included. */
class PercentileWithZerosThresholdContractTest extends ThresholdStrategyContract {
    @Override
    protected ThresholdStrategy createStrategy() {
        return new PercentileThreshold(90, true);
    }
}
