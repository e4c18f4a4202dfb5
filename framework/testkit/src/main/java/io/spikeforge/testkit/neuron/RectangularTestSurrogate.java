package io.spikeforge.testkit.neuron;

import io.spikeforge.api.neuron.SurrogateFunctionBase;

/**
 * A surrogate for tests: a box of width {@code a} and height {@code 1/a} centred on the threshold,
 * {@code dS/du = 1/a} where {@code |u| < a/2}, else 0 (the IDSNN surrogate, as the bundled
 * {@code rectangular} plugin computes it). Only the scalar form is written; the array and chunk
 * forms are {@link SurrogateFunctionBase}'s.
 */
public final class RectangularTestSurrogate extends SurrogateFunctionBase {
    private final double width;

    /** The surrogate of width 1, the IDSNN setting. */
    public RectangularTestSurrogate() {
        this(1.0);
    }

    /**
     * @param width the box's width {@code a}, positive and finite
     * @throws IllegalArgumentException when {@code width} is not positive and finite
     */
    public RectangularTestSurrogate(double width) {
        if (!(width > 0) || Double.isInfinite(width)) {
            throw new IllegalArgumentException("width must be a positive finite number, got " + width);
        }
        this.width = width;
    }

    @Override
    public double derivative(double u) {
        return Math.abs(u) < width / 2 ? 1 / width : 0;
    }

    @Override
    public String toString() {
        return "rectangular-test-surrogate(width=" + width + ")";
    }
}
