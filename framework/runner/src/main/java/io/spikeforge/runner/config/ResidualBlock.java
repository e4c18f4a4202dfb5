package io.spikeforge.runner.config;

/** Where a spiking residual block places its last neuron. */
public enum ResidualBlock implements YamlChoice {
    /** IDSNN's block: conv-BN-neuron-conv-BN, added to the shortcut, then a neuron after the addition. */
    SPIKING_BASIC("spiking-basic"),
    /** Spike-element-wise ResNet block: the residual branch's spikes are added to the shortcut's spikes. */
    SEW_ADD("sew-add");

    private final String yamlName;

    ResidualBlock(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
