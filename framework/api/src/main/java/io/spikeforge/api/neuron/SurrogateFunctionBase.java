package io.spikeforge.api.neuron;

import io.spikeforge.api.kernel.HostKernels;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.iter.NdIndexIterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A surrogate function defined once, by its scalar form {@link #derivative(double)}: the array form
 * and the chunk form that fused neuron kernels call are derived from it, so a new surrogate is that
 * one method (SpikingJelly's {@code SurrogateFunctionBase} plays this part there). A surrogate with a
 * single shape parameter {@code alpha} needs not even this class: extend
 * {@link AlphaSurrogateProvider}.
 *
 * <p>How the forms are derived:
 * <ul>
 *   <li>chunk form ({@link #derivative(float[], float[], int)}): the scalar form per element,
 *       rounded to float. Correct for every function; the JIT inlines the scalar form but cannot
 *       vectorize a loop with calls such as {@code Math.exp}. A subclass may override it with a
 *       branch-free loop that gives the same values ({@code rectangular} does);
 *   <li>array form ({@link #derivative(INDArray, INDArray)}): on a backend that keeps arrays in
 *       host memory (the CPU), a dense FLOAT array is computed by the chunk form, chunk by chunk on
 *       {@link HostKernels#forRanges} threads, so array and chunk form agree exactly there; a dense
 *       DOUBLE array by the scalar form over its memory; any other type (HALF) or layout (strided
 *       views, column-major order) by the scalar form element by element. None of these creates an
 *       ND4J array, so a neuron's repeated passes allocate nothing. On any other backend (CUDA) the
 *       values go through a DOUBLE copy on the host and back, exact but slow: where the array form
 *       is the training path, a subclass may override it with ND4J ops.
 * </ul>
 *
 * <p>Subclasses are immutable. Give them a {@code toString} naming the surrogate and its parameters:
 * the contract tests' messages use it.
 */
public abstract class SurrogateFunctionBase implements SurrogateFunction {
    /** Elements per chunk in the derived array form: small enough to stay in the L1/L2 cache. */
    private static final int CHUNK = 4096;

    /** For subclasses. */
    protected SurrogateFunctionBase() {
    }

    /** {@code dS/du} at one point: the definition the other forms are derived from. */
    @Override
    public abstract double derivative(double u);

    /**
     * Derived from the scalar form as the class comment says; {@code out} must have the shape and
     * data type of {@code u} and may be {@code u} itself, but no other view of its memory.
     *
     * @throws IllegalArgumentException when {@code out} differs from {@code u} in shape or data type
     */
    @Override
    public INDArray derivative(INDArray u, INDArray out) {
        Objects.requireNonNull(u, "u");
        Objects.requireNonNull(out, "out");
        if (!Arrays.equals(u.shape(), out.shape()) || u.dataType() != out.dataType()) {
            throw new IllegalArgumentException(this + ": out must have the shape and data type of u, got u "
                    + u.dataType() + Arrays.toString(u.shape()) + " and out " + out.dataType()
                    + Arrays.toString(out.shape()));
        }
        if (u.isEmpty()) {
            return out;
        }
        if (!HostKernels.backendUsesHostMemory()) {
            double[] values = u.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            for (int i = 0; i < values.length; i++) {
                values[i] = derivative(values[i]);
            }
            out.assign(Nd4j.createFromArray(values).reshape('c', u.shape()));
        } else if (HostKernels.isDenseFloat(u) && HostKernels.isDenseFloat(out)) {
            derivativeInChunks(HostKernels.floats(u), HostKernels.floats(out), (int) u.length());
        } else if (isDenseDouble(u) && isDenseDouble(out)) {
            DoubleBuffer points = u.data().asNioDouble().slice();
            DoubleBuffer values = out.data().asNioDouble().slice();
            HostKernels.forRanges((int) u.length(), CHUNK, (from, to) -> {
                for (int i = from; i < to; i++) {
                    values.put(i, derivative(points.get(i)));
                }
            });
        } else {
            // by full indices: a linear index means different elements in arrays of different orders
            NdIndexIterator indices = new NdIndexIterator('c', u.shape());
            while (indices.hasNext()) {
                long[] index = indices.next();
                out.putScalar(index, derivative(u.getDouble(index)));
            }
        }
        return out;
    }

    private static boolean isDenseDouble(INDArray array) {
        return array.dataType() == DataType.DOUBLE && HostKernels.isDense(array)
                && array.offset() + array.length() <= Integer.MAX_VALUE / Double.BYTES;
    }

    private void derivativeInChunks(FloatBuffer u, FloatBuffer out, int length) {
        HostKernels.forRanges(length, CHUNK, (from, to) -> {
            float[] chunk = new float[Math.min(CHUNK, to - from)];
            for (int start = from; start < to; start += CHUNK) {
                int count = Math.min(CHUNK, to - start);
                u.get(start, chunk, 0, count);
                derivative(chunk, chunk, count);
                out.put(start, chunk, 0, count);
            }
        });
    }
}
