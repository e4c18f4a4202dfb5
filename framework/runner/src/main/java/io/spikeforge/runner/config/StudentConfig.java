package io.spikeforge.runner.config;

import java.util.Objects;

/**
 * The {@code student} section: the network being trained (its training is the top-level
 * {@code training} section).
 *
 * @param model the student network
 */
public record StudentConfig(ModelConfig model) {
    public StudentConfig {
        Objects.requireNonNull(model, "model");
    }
}
