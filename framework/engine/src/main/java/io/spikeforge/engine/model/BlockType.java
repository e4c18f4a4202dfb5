package io.spikeforge.engine.model;

import io.spikeforge.api.config.YamlChoice;

/**
 * How a residual block of a spiking {@link ResNet} combines its main path and its shortcut.
 * Experiments select it by its YAML word ({@code student.model.block}).
 */
public enum BlockType implements YamlChoice {
    /**
     * IDSNN's spiking basic block (SpikingJelly's spiking ResNet block): conv3x3-BN-neuron-conv3x3-BN,
     * plus the shortcut (identity, or conv1x1-BN), and a neuron after the addition. The ANN ResNet
     * is this block with ReLU for the neurons.
     */
    SPIKING_BASIC("spiking-basic"),
    /**
     * SEW ResNet with the ADD connect function (Fang et al. 2021, SpikingJelly's {@code sew_resnet}):
     * conv3x3-BN-neuron-conv3x3-BN-neuron, and the block output is those spikes plus the shortcut,
     * which is the identity or conv1x1-BN-neuron. No neuron after the addition, so outputs are
     * spike counts (0, 1, 2, ...).
     */
    SEW_ADD("sew-add");

    private final String yamlName;

    BlockType(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
