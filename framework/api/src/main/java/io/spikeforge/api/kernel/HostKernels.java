package io.spikeforge.api.kernel;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Direct access to the host memory of dense ND4J arrays and a parallel loop for kernels over it.
 *
 * <p>Why: libnd4j runs each element-wise op as its own pass over memory, so a computation of k ops
 * reads and writes its tensors k times; its legacy element-wise ops also scale poorly beyond one
 * core on tensors of a few megabytes. A Java loop over a {@link FloatBuffer} view makes one pass,
 * keeps intermediate values in registers, and the JIT compiles it to plain loads and stores.
 *
 * <p>Results of a kernel run with {@link #forRanges} must not depend on how the work is split: each
 * index's result must be computed from that index's inputs alone (per element, per channel), never
 * accumulated across ranges. Then the numbers are the same for any number of threads.
 *
 * <p>These kernels read and write host memory, so they serve only a backend that keeps arrays
 * there: a layer decides with {@link KernelPath#select}, and {@link #floats} refuses on any other.
 */
public final class HostKernels {
    private HostKernels() {
    }

    /**
     * Whether ND4J keeps arrays in host memory on this process's backend (the CPU backend; not
     * CUDA), so that host kernels may run at all. Loads the backend on first use.
     */
    public static boolean backendUsesHostMemory() {
        return Backend.HOST_MEMORY;
    }

    /**
     * Whether {@code array} is a FLOAT array whose elements lie contiguously in row-major order (its
     * own buffer, or a contiguous view such as a row of a matrix) within the first 2 GiB of its
     * allocation, so {@link #floats} can view it; larger tensors take the callers' op paths. This is
     * the layout alone: whether the backend allows host kernels is {@link KernelPath#select}'s part.
     */
    public static boolean isDenseFloat(INDArray array) {
        Objects.requireNonNull(array, "array");
        // ND4J's NIO view spans at most 2^31 - 1 bytes from the start of the allocation
        return array.dataType() == DataType.FLOAT && isDense(array)
                && array.offset() + array.length() <= Integer.MAX_VALUE / Float.BYTES;
    }

    /** Whether the elements of {@code array} lie contiguously in row-major order. */
    public static boolean isDense(INDArray array) {
        Objects.requireNonNull(array, "array");
        if (array.isEmpty() || array.length() > Integer.MAX_VALUE) {
            return false;
        }
        long[] shape = array.shape();
        long[] strides = array.stride();
        long expected = 1;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            if (shape[axis] != 1 && strides[axis] != expected) {
                return false;
            }
            expected *= shape[axis];
        }
        return true;
    }

    /**
     * A view of the elements of a dense FLOAT array: index {@code i} is the array's element
     * {@code i} in row-major order, for {@code 0 <= i < array.length()}. Writes go to the array.
     *
     * @throws IllegalArgumentException when the array is not {@link #isDenseFloat dense FLOAT}
     * @throws IllegalStateException when the backend does not keep arrays in host memory
     */
    public static FloatBuffer floats(INDArray array) {
        if (!backendUsesHostMemory()) {
            throw new IllegalStateException("host kernels need an ND4J backend that keeps arrays in host memory (CPU),"
                    + " this process runs " + Nd4j.getBackend().getClass().getSimpleName()
                    + ": the layer should have selected " + KernelPath.ND4J_OPS + " (KernelPath.select)");
        }
        if (!isDenseFloat(array)) {
            throw new IllegalArgumentException("a direct float view needs a dense row-major FLOAT array, got "
                    + array.dataType() + " shape " + Arrays.toString(array.shape()) + " strides "
                    + Arrays.toString(array.stride()));
        }
        // ND4J's NIO view spans the whole allocation, positioned at the array's first element
        FloatBuffer all = array.data().asNioFloat();
        FloatBuffer view = all.slice();
        if (view.capacity() < array.length()) {
            throw new IllegalStateException("ND4J's buffer holds " + view.capacity() + " elements after the array's"
                    + " offset, fewer than its length " + array.length());
        }
        return view;
    }

    /**
     * How many threads {@link #forRanges} uses at most: the calling thread and the common pool's,
     * no more than the processors the JVM may use.
     */
    public static int threads() {
        return Math.min(Runtime.getRuntime().availableProcessors(), ForkJoinPool.getCommonPoolParallelism() + 1);
    }

    /**
     * Runs {@code body} over {@code [0, count)} split into at most {@link #threads()} contiguous
     * ranges of whole multiples of {@code grain} (except the last), one per thread, the caller's
     * thread among them; returns when all are done. Ranges are disjoint, so a body that writes only
     * the indices of its own range needs no synchronization.
     *
     * @param count number of indices (elements, channels, rows)
     * @param grain smallest range worth a thread; ranges are multiples of it
     * @param body called once per range with its first index and the index after its last
     */
    public static void forRanges(int count, int grain, RangeBody body) {
        forRanges(count, grain, threads(), body);
    }

    /**
     * {@link #forRanges(int, int, RangeBody)} split into at most {@code maxParts} ranges (more than
     * {@link #threads()} only queue up): for kernels whose tests show that a different split gives
     * the same numbers.
     *
     * @param maxParts the most ranges, at least 1
     */
    public static void forRanges(int count, int grain, int maxParts, RangeBody body) {
        Objects.requireNonNull(body, "body");
        if (count < 0 || grain < 1 || maxParts < 1) {
            throw new IllegalArgumentException("count must be >= 0, grain and maxParts >= 1, got " + count + ", "
                    + grain + ", " + maxParts);
        }
        int units = (int) (((long) count + grain - 1) / grain);
        int parts = Math.min(units, maxParts);
        if (parts <= 1) {
            if (count > 0) {
                body.run(0, count);
            }
            return;
        }
        IntStream.range(0, parts).parallel().forEach(part -> {
            int from = (int) ((long) units * part / parts) * grain;
            int to = Math.min(count, (int) ((long) units * (part + 1) / parts) * grain);
            if (from < to) {
                body.run(from, to);
            }
        });
    }

    /**
     * 1 when {@code difference > 0}, else 0 (also for -0 and 0), without a branch, so loops that
     * use it vectorize. Infinities give 1 and 0; NaN gives NaN (a comparison would give 0), so a
     * NaN reaches the loss instead of vanishing. Exact: IEEE subtraction of distinct finite floats is
     * never zero and keeps the sign, and the smallest positive float times 1e38 twice exceeds 1, so
     * {@code step(a - b)} is exactly {@code a > b ? 1 : 0} for finite a and b.
     */
    public static float step(float difference) {
        return Math.min(1f, Math.max(0f, difference * 1e38f * 1e38f));
    }

    /** Asked once: loading the backend is the first call's cost. */
    private static final class Backend {
        static final boolean HOST_MEMORY = Nd4j.getEnvironment().isCPU();
    }

    /** The work on one range of indices, {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        /** Processes indices {@code from} (inclusive) to {@code to} (exclusive). */
        void run(int from, int to);
    }
}
