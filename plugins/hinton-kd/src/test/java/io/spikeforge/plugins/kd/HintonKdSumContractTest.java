package io.spikeforge.plugins.kd;

import io.spikeforge.api.distill.DistillationLoss;
import io.spikeforge.testkit.distill.DistillationLossContract;

/** The IDSNN configuration (defaults: CE + 0.3 * KD at T = 4) against the distillation-loss contract. */
class HintonKdSumContractTest extends DistillationLossContract {
    @Override
    protected DistillationLoss createLoss() {
        HintonKdProvider provider = new HintonKdProvider();
        return provider.create(provider.parameters().defaults());
    }
}
