package io.spikeforge.runner.config;

import io.spikeforge.engine.model.BatchNormMode;
import java.util.Objects;

/**
 * What only a spiking model has, of any family.
 *
 * @param timesteps number of time steps T each image is presented for, in [1, 64]
 * @param batchNorm the batch normalization mode
 */
public record SpikingOptions(int timesteps, BatchNormMode batchNorm) {
    public SpikingOptions {
        Objects.requireNonNull(batchNorm, "batchNorm");
    }
}
