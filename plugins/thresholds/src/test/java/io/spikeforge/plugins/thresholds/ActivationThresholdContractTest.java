package io.spikeforge.plugins.thresholds;

import io.spikeforge.api.convert.ThresholdStrategy;
import io.spikeforge.testkit.convert.ThresholdStrategyContract;

/** The threshold strategy contract for the activation's own threshold, on layers that have one. */
class ActivationThresholdContractTest extends ThresholdStrategyContract {
    @Override
    protected ThresholdStrategy createStrategy() {
        return new ActivationThreshold();
    }

    @Override
    protected boolean needsActivationThreshold() {
        return true;
    }
}
