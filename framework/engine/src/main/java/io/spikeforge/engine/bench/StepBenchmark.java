package io.spikeforge.engine.bench;

import io.spikeforge.engine.tensor.KernelTimer;
import io.spikeforge.engine.tensor.ProcessMemory;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * Times repetitions of one step (a training step, or an inference pass) after a warm-up, with the
 * share of time spent in convolution kernels and the process's peak resident memory.
 */
public final class StepBenchmark {
    private final int warmupSteps;
    private final int measuredSteps;
    private final int imagesPerStep;

    /**
     * @param warmupSteps steps run first and not measured (JIT, buffer caches, oneDNN primitives)
     * @param measuredSteps steps that are timed
     * @param imagesPerStep the batch size, for the throughput
     */
    public StepBenchmark(int warmupSteps, int measuredSteps, int imagesPerStep) {
        if (warmupSteps < 0 || measuredSteps < 1 || imagesPerStep < 1) {
            throw new IllegalArgumentException("need warmup >= 0, steps >= 1 and batch >= 1, got " + warmupSteps + ", "
                    + measuredSteps + ", " + imagesPerStep);
        }
        this.warmupSteps = warmupSteps;
        this.measuredSteps = measuredSteps;
        this.imagesPerStep = imagesPerStep;
    }

    /** The figures of one benchmark. */
    public record Result(int steps, double medianMillis, double minMillis, double imagesPerSecond,
                         double convolutionShare, long peakResidentBytes) {
        /** The machine-readable summary line: {@code median_step_ms=<x> peak_rss_mb=<y>}. */
        public String summaryLine() {
            return String.format(java.util.Locale.ROOT, "median_step_ms=%.1f peak_rss_mb=%d", medianMillis,
                    peakResidentBytes / (1024 * 1024));
        }
    }

    /**
     * Runs the warm-up and the timed steps.
     *
     * @param step one step; its argument is the running step index (warm-up steps first)
     * @param progress told after each step with the number of steps done so far, warm-up included
     */
    public Result run(IntConsumer step, IntConsumer progress) {
        Objects.requireNonNull(step, "step");
        for (int i = 0; i < warmupSteps; i++) {
            step.accept(i);
            progress.accept(i + 1);
        }
        double[] millis = new double[measuredSteps];
        long convolutionNanos = 0;
        long totalNanos = 0;
        KernelTimer.enable(true);
        try {
            for (int i = 0; i < measuredSteps; i++) {
                long convolutionBefore = KernelTimer.nanos(KernelTimer.Kind.CONVOLUTION);
                long start = System.nanoTime();
                step.accept(warmupSteps + i);
                long elapsed = System.nanoTime() - start;
                convolutionNanos += KernelTimer.nanos(KernelTimer.Kind.CONVOLUTION) - convolutionBefore;
                totalNanos += elapsed;
                millis[i] = elapsed / 1e6;
                progress.accept(warmupSteps + i + 1);
            }
        } finally {
            KernelTimer.enable(false);
        }
        double median = median(millis);
        double min = Arrays.stream(millis).min().orElseThrow();
        return new Result(measuredSteps, median, min, imagesPerStep / (median / 1000),
                totalNanos == 0 ? 0 : (double) convolutionNanos / totalNanos,
                ProcessMemory.peakResidentBytes().orElse(-1));
    }

    /** The median; for an even count, the mean of the two middle values. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
