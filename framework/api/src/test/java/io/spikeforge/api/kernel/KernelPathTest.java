package io.spikeforge.api.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class KernelPathTest {
    @Test
    void aBackendWithoutHostMemoryNeverGetsTheHostKernels() {
        for (DataType type : DataType.values()) {
            assertEquals(KernelPath.ND4J_OPS, KernelPath.select(false, type), type.toString());
        }
    }

    @Test
    void onHostMemoryOnlyFloatGetsTheHostKernels() {
        for (DataType type : DataType.values()) {
            assertEquals(type == DataType.FLOAT ? KernelPath.HOST_FLOAT : KernelPath.ND4J_OPS,
                    KernelPath.select(true, type), type.toString());
        }
    }

    @Test
    void theCpuBackendOfTheseTestsKeepsArraysInHostMemory() {
        assertTrue(HostKernels.backendUsesHostMemory());
        assertEquals(KernelPath.HOST_FLOAT, KernelPath.select(DataType.FLOAT));
        assertEquals(KernelPath.ND4J_OPS, KernelPath.select(DataType.DOUBLE));
    }

    @Test
    void theHostPathTakesDenseFloatTensorsAndTheOpsTakeAny() {
        INDArray matrix = Nd4j.arange(0, 24).castTo(DataType.FLOAT).reshape('c', new long[] {4, 6});
        assertTrue(KernelPath.HOST_FLOAT.accepts(matrix));
        assertTrue(KernelPath.HOST_FLOAT.accepts(matrix.getRow(1)), "a contiguous view");
        assertFalse(KernelPath.HOST_FLOAT.accepts(matrix.getColumn(1)), "a strided view");
        assertFalse(KernelPath.HOST_FLOAT.accepts(matrix.castTo(DataType.DOUBLE)), "DOUBLE");
        for (INDArray tensor : new INDArray[] {matrix, matrix.getColumn(1), matrix.castTo(DataType.DOUBLE)}) {
            assertTrue(KernelPath.ND4J_OPS.accepts(tensor));
        }
    }
}
