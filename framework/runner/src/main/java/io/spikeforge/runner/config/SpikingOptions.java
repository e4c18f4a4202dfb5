package io.spikeforge.runner.config;

import io.spikeforge.engine.model.BatchNormMode;
import io.spikeforge.engine.model.BlockType;
import java.util.Objects;

/**
 * What only a spiking model has.
 *
 * @param block the residual block design
 * @param timesteps number of time steps T each image is presented for, in [1, 64]
 * @param batchNorm the batch normalization mode
 */
public record SpikingOptions(BlockType block, int timesteps, BatchNormMode batchNorm) {
    public SpikingOptions {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(batchNorm, "batchNorm");
    }
}
