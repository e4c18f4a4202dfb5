package io.spikeforge.plugins.loopinit;

import io.spikeforge.api.init.InitializationStrategy;
import io.spikeforge.testkit.init.CifarResNet;
import io.spikeforge.testkit.init.InitializationStrategyContract;
import io.spikeforge.testkit.init.ModelPair;

/** Relative block mapping, shortcuts on, stem off, and a student wider than its teacher (channels repeat). */
class LoopInterpolationAllOptionsContractTest extends InitializationStrategyContract {
    @Override
    protected InitializationStrategy createStrategy() {
        return new LoopInterpolation(BlockMapping.RELATIVE, false, true);
    }

    @Override
    protected ModelPair createModels() {
        return new ModelPair(
                CifarResNet.builder().architecture("teacher").blocksPerStage(2, 3).widths(4, 8).seed(3).build(),
                CifarResNet.builder().architecture("wider-student").blocksPerStage(3, 2).widths(6, 12).seed(4).build());
    }
}
