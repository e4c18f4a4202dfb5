package io.spikeforge.plugins.thresholds;

import io.spikeforge.api.convert.ThresholdStrategy;
import io.spikeforge.testkit.convert.ThresholdStrategyContract;

/** The threshold strategy contract for ttrbr on a coarse grid around the 99th percentile. */
class TtrbrPercentileReferenceThresholdContractTest extends ThresholdStrategyContract {
    @Override
    protected ThresholdStrategy createStrategy() {
        return new TtrbrThreshold(7, 0.3, 1.2, 99);
    }
}
