package io.spikeforge.runner.config;

/** How batch normalization computes its statistics in a spiking network. */
public enum BatchNormMode implements YamlChoice {
    /**
     * Threshold-dependent BN: statistics per channel over time steps, batch and space; weight starts
     * at the firing threshold.
     */
    TDBN("tdbn"),
    /** Plain batch normalization, weight starting at 1. */
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
