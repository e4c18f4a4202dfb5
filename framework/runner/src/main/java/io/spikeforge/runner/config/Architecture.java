package io.spikeforge.runner.config;

import io.spikeforge.api.config.YamlChoice;
/** The network families a model can be built from. */
public enum Architecture implements YamlChoice {
    /** A conventional (ANN) ResNet. */
    RESNET("resnet"),
    /** A spiking ResNet: neurons in place of activations, run for several time steps. */
    SPIKING_RESNET("spiking-resnet");

    private final String yamlName;

    Architecture(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
