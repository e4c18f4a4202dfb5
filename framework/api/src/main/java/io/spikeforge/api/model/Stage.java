package io.spikeforge.api.model;

import java.util.List;

/**
 * A stage of blocks that share a width.
 *
 * @param index 1-based, as in {@code layer1}
 * @param blocks the blocks in order
 */
public record Stage(int index, List<Block> blocks) {
    public Stage {
        if (index < 1) {
            throw new IllegalArgumentException("stage index is 1-based, got " + index);
        }
        blocks = List.copyOf(blocks);
    }
}
