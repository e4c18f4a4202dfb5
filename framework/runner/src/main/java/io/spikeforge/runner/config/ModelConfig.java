package io.spikeforge.runner.config;

import io.spikeforge.engine.model.BlockType;
import io.spikeforge.engine.model.Pooling2d;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code model} section: a CIFAR-style ResNet (3x3 stem) or VGG, ANN or spiking.
 *
 * @param architecture the family, ANN or spiking
 * @param depth for a ResNet 18 or 34 (four stages), or 8, 14, 20, 32, 44, 56 or 110 (three stages),
 *     with {@code blocksPerStage} 2 * (sum of blocks) + 2; for a VGG 11 or 16
 * @param widths a ResNet's channels of each stage, one entry per stage; empty for a VGG
 * @param blocksPerStage a ResNet's residual blocks of each stage, one entry per stage; empty for a VGG
 * @param block a spiking ResNet's residual block design; empty for other families
 * @param spiking present exactly when the architecture is spiking
 * @param pooling a VGG's pooling between stages; empty for a ResNet
 * @param activation an ANN's activation component in place of ReLU; empty for ReLU, and for a
 *     spiking model
 */
public record ModelConfig(Architecture architecture, int depth, List<Integer> widths, List<Integer> blocksPerStage,
                          Optional<BlockType> block, Optional<SpikingOptions> spiking,
                          Optional<Pooling2d.Mode> pooling, Optional<ComponentSlot> activation) {
    public ModelConfig {
        Objects.requireNonNull(architecture, "architecture");
        widths = List.copyOf(widths);
        blocksPerStage = List.copyOf(blocksPerStage);
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(spiking, "spiking");
        Objects.requireNonNull(pooling, "pooling");
        if (spiking.isPresent() != architecture.spiking()) {
            throw new IllegalArgumentException("spiking options go with, and only with, a spiking architecture");
        }
        if (block.isPresent() != (architecture == Architecture.SPIKING_RESNET)) {
            throw new IllegalArgumentException("a residual block design goes with, and only with, a spiking ResNet");
        }
        if (pooling.isPresent() == architecture.resnet()) {
            throw new IllegalArgumentException("a pooling mode goes with, and only with, a VGG");
        }
        Objects.requireNonNull(activation, "activation");
        if (activation.isPresent() && architecture.spiking()) {
            throw new IllegalArgumentException("an ANN activation goes only with an ANN");
        }
    }
}
