package io.spikeforge.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ProcessMemoryTest {
    private static final long MB = 1024 * 1024;

    /**
     * A native array of 256 MB, written and freed, raises the peak; after a reset the peak is that of
     * the memory still held, well below it (the allocation is far above malloc's mmap threshold, so
     * freeing it returns it to the system at once).
     */
    @Test
    void aResetPeakForgetsMemoryFreedBeforeIt() {
        assumeTrue(ProcessMemory.peakResidentBytes().isPresent(), "no VmHWM on this platform");
        INDArray big = Nd4j.create(DataType.FLOAT, 64 * MB).assign(1);
        big.close();
        long peakBefore = ProcessMemory.peakResidentBytes().orElseThrow();

        assumeTrue(ProcessMemory.resetPeak(), "this kernel cannot reset the peak");

        long peakAfter = ProcessMemory.peakResidentBytes().orElseThrow();
        assertTrue(peakAfter <= peakBefore - 192 * MB, "peak " + peakBefore / MB + " MB before the reset, "
                + peakAfter / MB + " MB after");
    }
}
