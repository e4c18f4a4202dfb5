package io.spikeforge.plugins.surrogates;

import io.spikeforge.api.kernel.HostKernels;
import io.spikeforge.api.neuron.SurrogateFunctionBase;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseSubtraction;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A box of width {@code a} and height {@code 1/a} centred on the threshold: {@code dS/du = 1/a} where
 * {@code |u| < a/2}, else 0. Its area is 1, like the unit step it stands in for. SpikingJelly's
 * {@code Rect(alpha)} with {@code alpha = 1/a}.
 *
 * <p>It overrides both derived forms: the chunk form with a branch-free loop (the fused {@code lif}
 * kernel's training path on the CPU), the array form with four ND4J ops, which serve every backend
 * without copies (the default surrogate's training path on CUDA).
 */
public final class RectangularSurrogate extends SurrogateFunctionBase {
    private final double width;
    private final double halfWidth;
    private final double height;

    /**
     * @param width the box's width {@code a}, positive and finite
     * @throws IllegalArgumentException when {@code width} is not positive and finite
     */
    public RectangularSurrogate(double width) {
        if (!(width > 0) || Double.isInfinite(width)) {
            throw new IllegalArgumentException("width must be a positive finite number, got " + width);
        }
        this.width = width;
        this.halfWidth = width / 2;
        this.height = 1 / width;
    }

    /** The box's width {@code a}. */
    public double width() {
        return width;
    }

    @Override
    public double derivative(double u) {
        return Math.abs(u) < halfWidth ? height : 0;
    }

    @Override
    public INDArray derivative(INDArray u, INDArray out) {
        var executioner = Nd4j.getExecutioner();
        executioner.exec(new Abs(u, out));
        // a/2 - |u| > 0 holds exactly when |u| < a/2: IEEE subtraction of distinct finite numbers is
        // never zero and keeps the sign, so the strict step below reproduces the scalar comparison.
        executioner.exec(new ScalarReverseSubtraction(out, null, out, halfWidth));
        executioner.exec(new Step(out, out, 0.0));
        executioner.exec(new ScalarMultiplication(out, null, out, height));
        return out;
    }

    /**
     * Branch-free, so the JIT vectorizes it; where {@code a/2} is a float (1, 0.5, ...) it computes
     * the scalar form's comparison exactly (see {@link HostKernels#step}), else it is the scalar form.
     */
    @Override
    public void derivative(float[] u, float[] out, int length) {
        float half = (float) halfWidth;
        if (half != halfWidth) {
            super.derivative(u, out, length);
            return;
        }
        float boxHeight = (float) height;
        for (int i = 0; i < length; i++) {
            out[i] = boxHeight * HostKernels.step(half - Math.abs(u[i]));
        }
    }

    @Override
    public String toString() {
        return "rectangular(width=" + width + ")";
    }
}
