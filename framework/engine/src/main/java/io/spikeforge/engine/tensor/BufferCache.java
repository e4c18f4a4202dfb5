package io.spikeforge.engine.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reusable arrays of one owner (typically a layer), looked up by role, data type and shape.
 *
 * <p>A request with a data type and shape seen before for that role returns the same array, so a
 * training loop whose shapes repeat allocates nothing after its first step. Each role keeps the
 * few most recently used shapes (a training batch, a smaller last batch, an evaluation batch);
 * older ones are dropped. Contents are not cleared between requests. Buffers are allocated
 * {@link OutsideWorkspaces outside any ND4J workspace}, because they outlive the scope that first
 * asks for them.
 *
 * <p>Not thread-safe.
 */
public final class BufferCache {
    /** Shapes kept per role before the least recently used one is dropped. */
    public static final int SHAPES_PER_ROLE = 4;

    private final Map<String, List<Entry>> entriesByRole = new HashMap<>();
    private final int shapesPerRole;
    private long allocations;

    /** A cache that keeps {@link #SHAPES_PER_ROLE} shapes per role. */
    public BufferCache() {
        this(SHAPES_PER_ROLE);
    }

    /**
     * @param shapesPerRole shapes kept per role before the least recently used one is dropped: more
     *     than the default for a cache shared by layers of several sizes
     */
    public BufferCache(int shapesPerRole) {
        if (shapesPerRole < 1) {
            throw new IllegalArgumentException("shapesPerRole must be positive, got " + shapesPerRole);
        }
        this.shapesPerRole = shapesPerRole;
    }

    /**
     * The buffer for {@code role} with the given data type and shape, allocated on first request.
     *
     * @param role what the buffer holds for its owner, such as {@code "output"}
     * @param dataType element type
     * @param shape dimensions; the array is not retained
     * @return a c-order array owned by this cache; its contents are whatever was last written
     */
    public INDArray get(String role, DataType dataType, long... shape) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(dataType, "dataType");
        List<Entry> entries = entriesByRole.computeIfAbsent(role, r -> new ArrayList<>(shapesPerRole));
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            if (entry.dataType == dataType && Arrays.equals(entry.shape, shape)) {
                if (i > 0) {
                    entries.remove(i);
                    entries.add(0, entry);
                }
                return entry.buffer;
            }
        }
        INDArray buffer = OutsideWorkspaces.zeros(dataType, shape);
        allocations++;
        entries.add(0, new Entry(dataType, shape.clone(), buffer));
        if (entries.size() > shapesPerRole) {
            entries.remove(entries.size() - 1);
        }
        return buffer;
    }

    /**
     * Like {@link #get}, but a newly allocated buffer is filled with {@code value}: for constant
     * operands such as a vector of ones, which callers only read.
     */
    public INDArray filled(String role, DataType dataType, double value, long... shape) {
        long before = allocations;
        INDArray buffer = get(role, dataType, shape);
        if (allocations != before) {
            buffer.assign(value);
        }
        return buffer;
    }

    /** How many arrays this cache has allocated so far; constant while shapes repeat. */
    public long allocations() {
        return allocations;
    }

    private record Entry(DataType dataType, long[] shape, INDArray buffer) {
    }
}
