package io.spikeforge.runner.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code model} section: a ResNet of the CIFAR kind (3x3 stem).
 *
 * @param architecture ANN or spiking
 * @param depth 18 or 34 (four stages), or 8, 14, 20, 32, 44, 56 or 110 (three stages); with
 *     {@code blocksPerStage} it is 2 * (sum of blocks) + 2
 * @param widths channels of each stage, one entry per stage
 * @param blocksPerStage residual blocks of each stage, one entry per stage
 * @param spiking present exactly when the architecture is {@link Architecture#SPIKING_RESNET}
 */
public record ModelConfig(Architecture architecture, int depth, List<Integer> widths, List<Integer> blocksPerStage,
                          Optional<SpikingOptions> spiking) {
    public ModelConfig {
        Objects.requireNonNull(architecture, "architecture");
        widths = List.copyOf(widths);
        blocksPerStage = List.copyOf(blocksPerStage);
        Objects.requireNonNull(spiking, "spiking");
        if (spiking.isPresent() != (architecture == Architecture.SPIKING_RESNET)) {
            throw new IllegalArgumentException("spiking options go with, and only with, a spiking architecture");
        }
    }
}
