package io.spikeforge.runner.config;

import java.util.Objects;

/**
 * A {@code training.optimizer} section.
 *
 * @param name the optimizer
 * @param lr initial learning rate, {@code > 0}
 * @param momentum in [0, 1)
 * @param weightDecay L2 penalty, {@code >= 0}
 * @param nesterov whether momentum is Nesterov's
 */
public record OptimizerConfig(OptimizerName name, double lr, double momentum, double weightDecay,
                              boolean nesterov) {
    public OptimizerConfig {
        Objects.requireNonNull(name, "name");
    }
}
