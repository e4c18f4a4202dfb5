package io.spikeforge.testkit.convert;

import io.spikeforge.api.convert.ThresholdStrategy;

/** A correct strategy passes every check of the contract. */
class LayerMaximumPassesContractTest extends ThresholdStrategyContract {
    @Override
    protected ThresholdStrategy createStrategy() {
        return new LayerMaximum();
    }
}
