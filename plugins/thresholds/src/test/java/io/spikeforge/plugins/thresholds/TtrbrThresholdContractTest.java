package io.spikeforge.plugins.thresholds;

import io.spikeforge.api.convert.ThresholdStrategy;
import io.spikeforge.testkit.convert.ThresholdStrategyContract;

/** The threshold strategy contract for ttrbr with its defaults. */
class TtrbrThresholdContractTest extends ThresholdStrategyContract {
    @Override
    protected ThresholdStrategy createStrategy() {
        return new TtrbrThreshold(20, 0.05, 1.0, 100);
    }
}
