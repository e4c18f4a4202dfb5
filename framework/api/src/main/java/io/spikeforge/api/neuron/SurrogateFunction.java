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
}
