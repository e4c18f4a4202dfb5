package io.spikeforge.engine.bench;

import io.spikeforge.engine.tensor.KernelTimer;
import io.spikeforge.engine.tensor.ProcessMemory;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * Times repetitions of one step (a training step, or an inference pass) after a warm-up, with the
 * shares of time spent in convolutions, batch normalization and neurons, and the process's peak
 * resident memory.
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
                         Map<KernelTimer.Kind, Double> shares, long peakResidentBytes) {
        public Result {
            shares = Map.copyOf(shares);
        }

        /** Share of step time spent in convolution kernels. */
        public double convolutionShare() {
            return share(KernelTimer.Kind.CONVOLUTION);
        }

        /** Share of step time spent in {@code kind}'s kernels, 0 when none ran. */
        public double share(KernelTimer.Kind kind) {
            return shares.getOrDefault(kind, 0.0);
        }

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
        long totalNanos = 0;
        Map<KernelTimer.Kind, Long> kernelNanos = new EnumMap<>(KernelTimer.Kind.class);
        KernelTimer.enable(true);
        try {
            for (int i = 0; i < measuredSteps; i++) {
                long start = System.nanoTime();
                step.accept(warmupSteps + i);
                long elapsed = System.nanoTime() - start;
                totalNanos += elapsed;
                millis[i] = elapsed / 1e6;
                progress.accept(warmupSteps + i + 1);
            }
            for (KernelTimer.Kind kind : KernelTimer.Kind.values()) {
                kernelNanos.put(kind, KernelTimer.nanos(kind));
            }
        } finally {
            KernelTimer.enable(false);
        }
        double median = median(millis);
        double min = Arrays.stream(millis).min().orElseThrow();
        Map<KernelTimer.Kind, Double> shares = new EnumMap<>(KernelTimer.Kind.class);
        for (Map.Entry<KernelTimer.Kind, Long> entry : kernelNanos.entrySet()) {
            shares.put(entry.getKey(), totalNanos == 0 ? 0 : (double) entry.getValue() / totalNanos);
        }
        return new Result(measuredSteps, median, min, imagesPerStep / (median / 1000), shares,
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
