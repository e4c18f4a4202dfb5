package io.spikeforge.plugins.kd;

import io.spikeforge.api.distill.DistillationLoss;
import io.spikeforge.testkit.distill.DistillationLossContract;
import java.util.Map;

/** Hinton's mixed form at a low temperature against the distillation-loss contract. */
class HintonKdMixContractTest extends DistillationLossContract {
    @Override
    protected DistillationLoss createLoss() {
        HintonKdProvider provider = new HintonKdProvider();
        return provider.create(provider.parameters().resolve(Map.of("combine", "mix", "alpha", 0.6, "temperature", 1.5)));
    }
}
