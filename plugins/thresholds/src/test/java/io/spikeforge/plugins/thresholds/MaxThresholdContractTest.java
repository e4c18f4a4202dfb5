package io.spikeforge.plugins.thresholds;

import io.spikeforge.api.convert.ThresholdStrategy;
import io.spikeforge.testkit.convert.ThresholdStrategyContract;

/** The threshold strategy contract for max, with default parameters. */
class MaxThresholdContractTest extends ThresholdStrategyContract {
    @Override
    protected ThresholdStrategy createStrategy() {
        return new MaxThreshold();
    }
}
