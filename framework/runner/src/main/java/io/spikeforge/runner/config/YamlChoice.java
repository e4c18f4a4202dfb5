package io.spikeforge.runner.config;

/** A value of a fixed set, with the word that selects it in YAML. */
interface YamlChoice {
    /** The word written in YAML, such as {@code spiking-resnet}. */
    String yamlName();
}
