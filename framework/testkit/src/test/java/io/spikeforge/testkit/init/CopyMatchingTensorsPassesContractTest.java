package io.spikeforge.testkit.init;

import io.spikeforge.api.init.InitializationStrategy;

/** A correct strategy passes every check of the contract. */
class CopyMatchingTensorsPassesContractTest extends InitializationStrategyContract {
    @Override
    protected InitializationStrategy createStrategy() {
        return new CopyMatchingTensors();
    }

    @Override
    protected ModelPair createModels() {
        return new ModelPair(
                CifarResNet.builder().architecture("teacher").blocksPerStage(2, 2).widths(4, 8).seed(1).build(),
                CifarResNet.builder().architecture("student").blocksPerStage(1, 2).widths(4, 6).seed(2).build());
    }
}
