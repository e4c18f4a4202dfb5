package io.spikeforge.engine.model;

import io.spikeforge.engine.tensor.OutsideWorkspaces;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The activation buffers of one time-step of {@link StepwiseInference}, shared by all its layers
 * with explicit lifetimes: a layer's output is {@link #acquire acquired} from the pool and
 * {@link #release released} once its consumers have run, so a network needs as many buffers per
 * shape as are alive at once (three in a residual stage: the block input, the main path's current
 * and, in a projecting block, the shortcut), not one per layer. Buffers are allocated outside any
 * ND4J workspace on first need and kept for the next steps and passes
 * until {@link #freeAll}. Not thread-safe.
 */
final class StepBuffers {
    private final Map<Key, Deque<INDArray>> free = new HashMap<>();
    private final Set<INDArray> lent = Collections.newSetFromMap(new IdentityHashMap<>());
    private long allocatedBytes;

    private record Key(DataType dataType, List<Long> shape) {
        static Key of(DataType dataType, long[] shape) {
            return new Key(dataType, Arrays.stream(shape).boxed().toList());
        }
    }

    /** A buffer of this type and shape, c-order, contents undefined; it is the caller's until {@link #release}. */
    INDArray acquire(DataType dataType, long[] shape) {
        INDArray buffer = free.computeIfAbsent(Key.of(dataType, shape), key -> new ArrayDeque<>()).pollFirst();
        if (buffer == null) {
            buffer = OutsideWorkspaces.zeros(dataType, shape);
            allocatedBytes += buffer.length() * dataType.width();
        }
        lent.add(buffer);
        return buffer;
    }

    /**
     * Gives back a buffer of {@link #acquire}.
     *
     * @throws IllegalStateException for an array that is not lent by this pool (a bug of the caller)
     */
    void release(INDArray buffer) {
        if (!lent.remove(buffer)) {
            throw new IllegalStateException("not a lent step buffer: " + Arrays.toString(buffer.shape()));
        }
        free.get(Key.of(buffer.dataType(), buffer.shape())).addFirst(buffer);
    }

    /** Gives back every lent buffer: the step is over, and with it every tensor of the step. */
    void releaseAll() {
        for (INDArray buffer : lent) {
            free.get(Key.of(buffer.dataType(), buffer.shape())).addFirst(buffer);
        }
        lent.clear();
    }

    /**
     * Frees every buffer now (none may be lent): the next steps have other shapes, and the old
     * buffers would only add to the peak.
     *
     * @throws IllegalStateException while a buffer is lent
     */
    void freeAll() {
        if (!lent.isEmpty()) {
            throw new IllegalStateException(lent.size() + " step buffers are still lent");
        }
        for (Deque<INDArray> buffers : free.values()) {
            for (INDArray buffer : buffers) {
                if (buffer.closeable() && !buffer.wasClosed()) {
                    buffer.close();
                }
            }
        }
        free.clear();
        allocatedBytes = 0;
    }

    /** Bytes of the buffers held now, lent or free. */
    long allocatedBytes() {
        return allocatedBytes;
    }
}
