package io.spikeforge.testkit.neuron;

import io.spikeforge.api.neuron.SurrogateFunctionBase;

/**
 * A surrogate for tests: the derivative of the logistic function {@code sigma(k u)}, that is
 * {@code k sigma(k u) (1 - sigma(k u))}. It is smooth, positive everywhere and has unit area, so every
 * path of a neuron's backward pass carries gradient, which makes gradient checks sensitive to all of
 * them (a rectangular surrogate would zero most paths). Only the scalar form is written; the array and
 * chunk forms are {@link SurrogateFunctionBase}'s.
 */
public final class SmoothTestSurrogate extends SurrogateFunctionBase {
    private final double sharpness;

    /** The surrogate with sharpness {@code k = 4}. */
    public SmoothTestSurrogate() {
        this(4.0);
    }

    /**
     * @param sharpness the slope factor {@code k}, positive; larger is closer to a spike at 0
     * @throws IllegalArgumentException when {@code sharpness} is not positive and finite
     */
    public SmoothTestSurrogate(double sharpness) {
        if (!(sharpness > 0) || Double.isInfinite(sharpness)) {
            throw new IllegalArgumentException("sharpness must be a positive finite number, got " + sharpness);
        }
        this.sharpness = sharpness;
    }

    @Override
    public double derivative(double u) {
        double sigma = 1 / (1 + Math.exp(-sharpness * u));
        return sharpness * sigma * (1 - sigma);
    }

    @Override
    public String toString() {
        return "smooth-test-surrogate(sharpness=" + sharpness + ")";
    }
}
