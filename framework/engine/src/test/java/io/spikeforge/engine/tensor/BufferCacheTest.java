package io.spikeforge.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BufferCacheTest {
    @Test
    void repeatedShapesReuseTheSameArray() {
        BufferCache cache = new BufferCache();
        INDArray first = cache.get("output", DataType.FLOAT, 2, 3);
        assertArrayEquals(new long[] {2, 3}, first.shape());
        assertEquals(DataType.FLOAT, first.dataType());
        assertSame(first, cache.get("output", DataType.FLOAT, 2, 3));
        assertEquals(1, cache.allocations());
    }

    @Test
    void roleShapeAndTypeEachSelectABuffer() {
        BufferCache cache = new BufferCache();
        INDArray output = cache.get("output", DataType.FLOAT, 2, 3);
        assertNotSame(output, cache.get("gradInput", DataType.FLOAT, 2, 3));
        assertNotSame(output, cache.get("output", DataType.FLOAT, 3, 2));
        assertNotSame(output, cache.get("output", DataType.DOUBLE, 2, 3));
        assertEquals(4, cache.allocations());
    }

    @Test
    void alternatingBatchSizesKeepTheirBuffers() {
        BufferCache cache = new BufferCache();
        INDArray train = cache.get("output", DataType.FLOAT, 32, 10);
        INDArray eval = cache.get("output", DataType.FLOAT, 100, 10);
        for (int step = 0; step < 3; step++) {
            assertSame(train, cache.get("output", DataType.FLOAT, 32, 10));
            assertSame(eval, cache.get("output", DataType.FLOAT, 100, 10));
        }
        assertEquals(2, cache.allocations());
    }

    @Test
    void theLeastRecentlyUsedShapeIsDroppedBeyondTheLimit() {
        BufferCache cache = new BufferCache();
        INDArray oldest = cache.get("output", DataType.FLOAT, 1);
        for (int size = 2; size <= BufferCache.SHAPES_PER_ROLE + 1; size++) {
            cache.get("output", DataType.FLOAT, size);
        }
        assertNotSame(oldest, cache.get("output", DataType.FLOAT, 1));
        assertEquals(BufferCache.SHAPES_PER_ROLE + 2, cache.allocations());
    }

    @Test
    void filledBuffersAreFilledOnAllocationOnly() {
        BufferCache cache = new BufferCache();
        INDArray ones = cache.filled("ones", DataType.FLOAT, 1, 3, 1);
        assertEquals(Nd4j.ones(DataType.FLOAT, 3, 1), ones);
        ones.putScalar(0, 5);
        assertSame(ones, cache.filled("ones", DataType.FLOAT, 1, 3, 1));
        assertEquals(5, ones.getDouble(0));
        assertEquals(1, cache.allocations());
    }

    @Test
    void aCacheCanKeepMoreShapesPerRole() {
        BufferCache cache = new BufferCache(8);
        INDArray oldest = cache.get("gradient", DataType.FLOAT, 1);
        for (int size = 2; size <= 8; size++) {
            cache.get("gradient", DataType.FLOAT, size);
        }
        assertSame(oldest, cache.get("gradient", DataType.FLOAT, 1));
        assertEquals(8, cache.allocations());
        assertThrows(IllegalArgumentException.class, () -> new BufferCache(0));
    }
}
