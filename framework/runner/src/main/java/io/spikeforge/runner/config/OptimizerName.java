package io.spikeforge.runner.config;

import io.spikeforge.api.config.YamlChoice;
/** The optimizers a training block can use. */
public enum OptimizerName implements YamlChoice {
    /** Stochastic gradient descent with momentum (as in PyTorch's SGD). */
    SGD("sgd");

    private final String yamlName;

    OptimizerName(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
