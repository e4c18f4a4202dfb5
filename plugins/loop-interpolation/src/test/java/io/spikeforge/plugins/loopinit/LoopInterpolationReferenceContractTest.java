package io.spikeforge.plugins.loopinit;

import io.spikeforge.api.init.InitializationStrategy;
import io.spikeforge.testkit.init.CifarResNet;
import io.spikeforge.testkit.init.InitializationStrategyContract;
import io.spikeforge.testkit.init.ModelPair;

/** The IDSNN reference settings, ResNet-34-shaped teacher to ResNet-18-shaped student of half width. */
class LoopInterpolationReferenceContractTest extends InitializationStrategyContract {
    @Override
    protected InitializationStrategy createStrategy() {
        LoopInterpolationProvider provider = new LoopInterpolationProvider();
        return provider.create(provider.parameters().defaults());
    }

    @Override
    protected ModelPair createModels() {
        return new ModelPair(
                CifarResNet.builder().architecture("resnet34").blocksPerStage(3, 4, 6, 3).widths(8, 16, 32, 64).seed(1).build(),
                CifarResNet.builder().architecture("resnet18").blocksPerStage(2, 2, 2, 2).widths(4, 8, 16, 32).seed(2).build());
    }
}
