package io.spikeforge.runner.config;

import io.spikeforge.api.config.YamlChoice;

/** The network families a model can be built from, ANN or spiking. */
public enum Architecture implements YamlChoice {
    /** A conventional (ANN) ResNet. */
    RESNET("resnet"),
    /** A spiking ResNet: neurons in place of activations, run for several time steps. */
    SPIKING_RESNET("spiking-resnet"),
    /** A conventional (ANN) CIFAR-style VGG with batch normalization. */
    VGG("vgg"),
    /** A spiking VGG: neurons in place of activations, run for several time steps. */
    SPIKING_VGG("spiking-vgg");

    private final String yamlName;

    Architecture(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }

    /** Whether models of this family spike (and have time steps, a neuron and a surrogate). */
    public boolean spiking() {
        return this == SPIKING_RESNET || this == SPIKING_VGG;
    }

    /** Whether this is a ResNet family (stages of residual blocks). */
    public boolean resnet() {
        return this == RESNET || this == SPIKING_RESNET;
    }
}
