package io.spikeforge.engine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.layer.Conv2d;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class StepBenchmarkTest {
    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, StepBenchmark.median(new double[] {3, 1, 2}));
        assertEquals(2.5, StepBenchmark.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void runsWarmupThenTimedStepsAndCountsConvolutionTime() {
        Conv2d conv = new Conv2d(3, 8, 3, 1, 1, false, DataType.FLOAT);
        INDArray input = Nd4j.rand(DataType.FLOAT, 4, 3, 16, 16);
        List<Integer> seen = new ArrayList<>();
        List<Integer> progress = new ArrayList<>();
        StepBenchmark.Result result = new StepBenchmark(2, 5, 4).run(i -> {
            seen.add(i);
            conv.forward(input, false);
        }, progress::add);

        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), seen);
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), progress);
        assertEquals(5, result.steps());
        assertTrue(result.minMillis() > 0 && result.minMillis() <= result.medianMillis());
        assertEquals(4 / (result.medianMillis() / 1000), result.imagesPerSecond(), 1e-9);
        // the step is a convolution and little else
        assertTrue(result.convolutionShare() > 0.5 && result.convolutionShare() <= 1.0, "share " + result.convolutionShare());
        assertTrue(result.peakResidentBytes() > 0);
        assertTrue(result.summaryLine().matches("median_step_ms=\\d+\\.\\d peak_rss_mb=\\d+"), result.summaryLine());
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new StepBenchmark(0, 0, 1));
    }
}
