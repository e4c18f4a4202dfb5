package io.spikeforge.runner.config;

/**
 * A {@code training.divergence} section: when a finite training loss counts as diverging and ends
 * the run (a NaN or infinite loss always does).
 *
 * @param enabled whether the rule applies
 * @param lossFactor the bound in units of the larger of ln(classes) and the first step's loss, {@code > 1}
 * @param steps consecutive steps above the bound that end the training, {@code >= 1}
 */
public record DivergenceConfig(boolean enabled, double lossFactor, int steps) {
}
