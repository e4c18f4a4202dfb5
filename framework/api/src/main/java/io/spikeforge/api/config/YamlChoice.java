package io.spikeforge.api.config;

/**
 * A value of a fixed set with the word that selects it in YAML; enums implement it to be offered
 * by a {@link ChoiceType}.
 */
public interface YamlChoice {
    /** The word written in YAML, such as {@code spiking-basic}. */
    String yamlName();
}
