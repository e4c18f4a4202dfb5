package io.spikeforge.api.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class HostKernelsTest {
    @Test
    void denseArraysAndContiguousViewsAreDenseStridedViewsAreNot() {
        INDArray matrix = Nd4j.arange(0, 24).castTo(DataType.FLOAT).reshape('c', new long[] {4, 6});
        assertTrue(HostKernels.isDenseFloat(matrix));
        assertTrue(HostKernels.isDenseFloat(matrix.getRow(2)), "a row of a row-major matrix");
        assertFalse(HostKernels.isDense(matrix.getColumn(1)), "a column");
        assertFalse(HostKernels.isDense(matrix.transpose()), "a transpose");
        assertFalse(HostKernels.isDenseFloat(matrix.castTo(DataType.DOUBLE)), "not FLOAT");
        assertTrue(HostKernels.isDense(Nd4j.zeros(DataType.FLOAT, 3, 1, 5)), "unit axes have any stride");
    }

    @Test
    void floatViewIndexesTheArraysOwnElementsAndWritesThrough() {
        INDArray matrix = Nd4j.arange(0, 24).castTo(DataType.FLOAT).reshape('c', new long[] {4, 6});
        INDArray row = matrix.getRow(2);
        FloatBuffer view = HostKernels.floats(row);
        for (int i = 0; i < 6; i++) {
            assertEquals(12 + i, view.get(i), 0f);
        }
        view.put(3, -1f);
        assertEquals(-1f, matrix.getFloat(2, 3), 0f);
        assertThrows(IllegalArgumentException.class, () -> HostKernels.floats(matrix.getColumn(0)));
    }

    @Test
    void rangesCoverEveryIndexOnceInWholeGrains() {
        for (int count : new int[] {0, 1, 7, 1000, 1025, 4096}) {
            for (int grain : new int[] {1, 64, 1024}) {
                AtomicIntegerArray visits = new AtomicIntegerArray(count);
                HostKernels.forRanges(count, grain, (from, to) -> {
                    assertEquals(0, from % grain, "ranges start at a multiple of the grain");
                    assertTrue(from < to && to <= count);
                    for (int i = from; i < to; i++) {
                        visits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < count; i++) {
                    assertEquals(1, visits.get(i), "count " + count + ", grain " + grain + ", index " + i);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> HostKernels.forRanges(5, 0, (from, to) -> { }));
    }

    @Test
    void stepIsExactlyTheStrictComparison() {
        float[] points = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-30f, -1e-30f, 1f, -1f, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (float point : points) {
            assertEquals(point > 0 ? 1f : 0f, HostKernels.step(point), 0f, "step(" + point + ")");
        }
        assertTrue(Float.isNaN(HostKernels.step(Float.NaN)), "NaN is kept, not read as 'no spike'");
        float threshold = 0.5f;
        for (float h : new float[] {Math.nextUp(threshold), threshold, Math.nextDown(threshold), 0.25f, 7f}) {
            assertEquals(h > threshold ? 1f : 0f, HostKernels.step(h - threshold), 0f, "H = " + h);
        }
    }
}
