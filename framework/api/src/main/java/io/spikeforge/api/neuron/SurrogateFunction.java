package io.spikeforge.api.neuron;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The derivative used for the spike in the backward pass. The spike itself is a step function of
 * {@code u = v - threshold}; its true derivative is zero almost everywhere, so training replaces it
 * with {@code dS/du} from this function.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface SurrogateFunction {
    /** {@code dS/du} at one point: the reference that the array form must agree with. */
    double derivative(double u);

    /**
     * Writes {@code dS/du} at every element of {@code u} into {@code out} and returns {@code out}.
     * {@code out} has the shape and data type of {@code u} and may be the same array.
     */
    INDArray derivative(INDArray u, INDArray out);

    /**
     * Writes {@code dS/du} of {@code u[0 .. length)} into {@code out[0 .. length)}: the form fused
     * neuron kernels call on chunks of heap floats. The default applies {@link #derivative(double)}
     * per element; implementations may override it with a loop the JIT vectorizes (no branches, no
     * calls that are not inlined), which must give the same values as the scalar form for every
     * number (at NaN it may return NaN).
     *
     * @param u points, float
     * @param out results; may be {@code u} itself
     * @param length number of elements to process, at most the length of both arrays
     */
    default void derivative(float[] u, float[] out, int length) {
        for (int i = 0; i < length; i++) {
            out[i] = (float) derivative(u[i]);
        }
    }
}
