package io.spikeforge.api.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One layer of a model's structure.
 *
 * @param name the layer's full name in PyTorch style, such as {@code layer2.0.conv1}
 * @param kind what the layer computes
 * @param tensors the full names of its tensors in the model's {@link StateDict}, such as
 *     {@code layer2.0.conv1.weight}
 */
public record LayerInfo(String name, LayerKind kind, List<String> tensors) {
    public LayerInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        tensors = List.copyOf(tensors);
        for (String tensor : tensors) {
            if (!tensor.startsWith(name + ".")) {
                throw new IllegalArgumentException("tensor '" + tensor + "' is not under layer '" + name + "'");
            }
        }
    }

    /** The full name of this layer's tensor with the given suffix ({@code weight}), if it has one. */
    public Optional<String> tensor(String suffix) {
        String full = name + "." + suffix;
        return tensors.contains(full) ? Optional.of(full) : Optional.empty();
    }

    /** The layer's last name component: {@code conv1} for {@code layer2.0.conv1}. */
    public String localName() {
        String withinBlock = name.substring(name.lastIndexOf('.') + 1);
        // downsample.0 / downsample.1: keep the container name so that shortcut layers stay distinct
        if (withinBlock.chars().allMatch(Character::isDigit) && name.contains(".")) {
            String parent = name.substring(0, name.lastIndexOf('.'));
            return parent.substring(parent.lastIndexOf('.') + 1) + "." + withinBlock;
        }
        return withinBlock;
    }
}
