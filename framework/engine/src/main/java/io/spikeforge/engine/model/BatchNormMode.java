package io.spikeforge.engine.model;

import io.spikeforge.api.config.YamlChoice;

/**
 * The batch normalization of a spiking {@link ResNet}; the ANN always uses {@link #BN}. Experiments
 * select it by its YAML word ({@code student.model.batch_norm}).
 */
public enum BatchNormMode implements YamlChoice {
    /**
     * tdBN (Zheng et al. 2021): statistics per channel over time, batch, height and width, weight
     * initialized to the threshold of the neurons after the layer (IDSNN's LIF: 0.5), or to a
     * value given to the model.
     */
    TDBN("tdbn"),
    /**
     * Ordinary BN on the merged {@code T*B} batch. The statistics are the same as tdBN's (the time
     * steps are stacked along the batch axis); only the initial weight differs: 1.
     */
    BN("bn");

    private final String yamlName;

    BatchNormMode(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
