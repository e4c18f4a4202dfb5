package io.spikeforge.api.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The structure of a model, as initialization strategies see it: a stem, stages of residual
 * blocks, and a head.
 *
 * @param architecture a short name such as {@code resnet34} or {@code spiking-resnet18}
 * @param stem layers before the first stage
 * @param stages the stages in order
 * @param head layers after the last stage (pooling, the classifier)
 */
public record ModelStructure(String architecture, List<LayerInfo> stem, List<Stage> stages, List<LayerInfo> head) {
    public ModelStructure {
        Objects.requireNonNull(architecture, "architecture");
        stem = List.copyOf(stem);
        stages = List.copyOf(stages);
        head = List.copyOf(head);
        Set<String> names = new HashSet<>();
        for (LayerInfo layer : allLayers(stem, stages, head)) {
            if (!names.add(layer.name())) {
                throw new IllegalArgumentException("layer name '" + layer.name() + "' appears twice in " + architecture);
            }
        }
    }

    /** Every layer: stem, then each block's layers, then the head. */
    public List<LayerInfo> layers() {
        return allLayers(stem, stages, head);
    }

    /** The layer with the given full name. */
    public Optional<LayerInfo> layer(String name) {
        return layers().stream().filter(l -> l.name().equals(name)).findFirst();
    }

    private static List<LayerInfo> allLayers(List<LayerInfo> stem, List<Stage> stages, List<LayerInfo> head) {
        List<LayerInfo> all = new ArrayList<>(stem);
        for (Stage stage : stages) {
            for (Block block : stage.blocks()) {
                all.addAll(block.layers());
            }
        }
        all.addAll(head);
        return all;
    }
}
