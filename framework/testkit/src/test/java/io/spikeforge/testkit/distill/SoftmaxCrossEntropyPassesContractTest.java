package io.spikeforge.testkit.distill;

import io.spikeforge.api.distill.DistillationLoss;

/** A correct loss passes every check of the contract. */
class SoftmaxCrossEntropyPassesContractTest extends DistillationLossContract {
    @Override
    protected DistillationLoss createLoss() {
        return new SoftmaxCrossEntropy(true);
    }
}
