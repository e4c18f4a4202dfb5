package io.spikeforge.api.model;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A residual block.
 *
 * @param name the block's name, such as {@code layer2.0}
 * @param main the layers of the main path, in order
 * @param shortcut the layers of the shortcut path (empty for an identity shortcut)
 */
public record Block(String name, List<LayerInfo> main, List<LayerInfo> shortcut) {
    public Block {
        Objects.requireNonNull(name, "name");
        main = List.copyOf(main);
        shortcut = List.copyOf(shortcut);
    }

    /** All layers, main path first. */
    public List<LayerInfo> layers() {
        return Stream.concat(main.stream(), shortcut.stream()).toList();
    }
}
