package io.spikeforge.plugins.lif;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The per-element dynamics shared by the {@code lif} and {@code if} neurons. For every element and
 * time-step {@code t}, with {@code V[-1] = initialPotential}:
 * <pre>
 * charge: H[t] = decay * V[t-1] + (1 - decay) * resetPotential + inputGain * X[t]
 * fire:   S[t] = H[t] &gt; threshold          (H[t] &gt;= threshold when fireAtThreshold)
 * reset:  V[t] = S[t] ? resetPotential : H[t]   (hard)
 *         V[t] = H[t] - threshold * S[t]        (soft; resetPotential is 0)
 * </pre>
 * The backward pass uses {@code dS/dH = surrogate(H - threshold)}. With {@code detachReset}, the
 * spike inside the reset is a constant for the gradient, so {@code dV/dH} is {@code 1 - S} (hard) or
 * {@code 1} (soft); without it, {@code dV/dH} adds {@code (resetPotential - H) * dS/dH} (hard) or
 * {@code -threshold * dS/dH} (soft).
 *
 * @param decay leak factor per step in [0, 1]; 1 for no leak
 * @param inputGain factor on the input current: 1, or {@code 1 - decay} for SpikingJelly's
 *     {@code decay_input=True}
 * @param threshold firing threshold
 * @param reset hard or soft reset
 * @param resetPotential the potential a hard reset sets and a leaky neuron decays toward; 0 for soft
 *     reset
 * @param detachReset whether the reset is left out of the gradient
 * @param fireAtThreshold whether a potential equal to the threshold fires
 * @param initialPotential the membrane potential before the first step
 */
record MembraneDynamics(double decay, double inputGain, double threshold, ResetMode reset, double resetPotential,
                        boolean detachReset, boolean fireAtThreshold, double initialPotential) {
    MembraneDynamics {
        Objects.requireNonNull(reset, "reset");
        if (!(decay >= 0 && decay <= 1)) {
            throw new IllegalArgumentException("decay must be in [0, 1], got " + decay);
        }
        requireFinite("inputGain", inputGain);
        requireFinite("threshold", threshold);
        requireFinite("resetPotential", resetPotential);
        requireFinite("initialPotential", initialPotential);
        if (reset == ResetMode.SOFT && resetPotential != 0) {
            throw new IllegalArgumentException("soft reset needs resetPotential 0, got " + resetPotential);
        }
    }

    /** The constant {@code (1 - decay) * resetPotential} that pulls a leaky neuron toward its reset potential. */
    double restingPull() {
        return (1 - decay) * resetPotential;
    }

    /**
     * The cutoff c of the strict step {@code S = H > c} in {@code type}: the threshold, or for firing
     * at the threshold, the largest number of the data type below it, since {@code H >= threshold}
     * is then {@code H > c}.
     */
    double firingCutoff(DataType type) {
        if (!fireAtThreshold) {
            return threshold;
        }
        return type == DataType.FLOAT ? Math.nextDown((float) threshold) : Math.nextDown(threshold);
    }

    private static void requireFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
    }
}
