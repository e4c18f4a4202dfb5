package io.spikeforge.cli;

import io.spikeforge.engine.bench.StepBenchmark;
import io.spikeforge.runner.pipeline.EpochCharts;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;

/**
 * The table of a {@code bench --sweep-timesteps / --sweep-batch} run: one row per point, with the
 * step time and the forward work of the step relative to the first point, so that how time grows
 * with T and with the batch reads off directly.
 */
final class BenchSweep {
    static final String CSV_HEADER = "timesteps,batch,median_step_ms,min_step_ms,images_per_s,forward_macs_per_step,"
            + "peak_rss_mb,model_rss_mb,estimated_mb";
    private static final double MB = 1024 * 1024;

    /** One point of the sweep: T (1 for an ANN) and the batch. */
    record Point(int timeSteps, int batch) {
    }

    /**
     * One measured point.
     *
     * @param forwardMacs multiply-accumulates of the step's forward pass (the model's count per image
     *     times the batch), NaN for a model that cannot count them
     * @param residentBeforeBytes the process's resident memory before the point's model was built
     * @param estimatedBytes the memory estimate that was checked before the point ran
     */
    record Row(Point point, StepBenchmark.Result result, double forwardMacs, long residentBeforeBytes,
               double estimatedBytes) {
        /** What the point's model and batch added: its peak less the resident memory before it. */
        double modelBytes() {
            return result.peakResidentBytes() - residentBeforeBytes;
        }
    }

    private final boolean spiking;
    private final List<Row> rows = new ArrayList<>();

    /** @param spiking whether the rows have a T column (an ANN's T is 1 throughout) */
    BenchSweep(boolean spiking) {
        this.spiking = spiking;
    }

    void add(Point point, StepBenchmark.Result result, double forwardMacs, long residentBeforeBytes,
             double estimatedBytes) {
        rows.add(new Row(point, result, forwardMacs, residentBeforeBytes, estimatedBytes));
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    /** The table for people; {@code time x} and {@code work x} are relative to the first row. */
    void print(PrintWriter out) {
        out.println((spiking ? "   T" : "") + "  batch  median ms    min ms   images/s   fwd GMAC  time x  work x"
                + "   peak MB  model MB   est. MB");
        Row first = rows.get(0);
        for (Row row : rows) {
            StepBenchmark.Result r = row.result();
            out.printf(Locale.ROOT, "%s  %5d  %9.1f  %8.1f  %9.1f  %9s  %6.2f  %6s  %8d  %8d  %8d%n",
                    spiking ? String.format(Locale.ROOT, "%4d", row.point().timeSteps()) : "", row.point().batch(),
                    r.medianMillis(), r.minMillis(), r.imagesPerSecond(),
                    Double.isNaN(row.forwardMacs()) ? "-" : String.format(Locale.ROOT, "%.3f", row.forwardMacs() / 1e9),
                    r.medianMillis() / first.result().medianMillis(),
                    Double.isNaN(row.forwardMacs()) ? "-"
                            : String.format(Locale.ROOT, "%.2f", row.forwardMacs() / first.forwardMacs()),
                    Math.round(r.peakResidentBytes() / MB), Math.round(row.modelBytes() / MB),
                    Math.round(row.estimatedBytes() / MB));
        }
    }

    /**
     * The table as CSV ({@link #CSV_HEADER}), memory in MiB to the KiB; MACs of a model that cannot
     * count them are empty.
     */
    String csv() {
        StringBuilder text = new StringBuilder(CSV_HEADER).append('\n');
        for (Row row : rows) {
            StepBenchmark.Result r = row.result();
            text.append(String.format(Locale.ROOT, "%d,%d,%.3f,%.3f,%.2f,%s,%.3f,%.3f,%.3f%n", row.point().timeSteps(),
                    row.point().batch(), r.medianMillis(), r.minMillis(), r.imagesPerSecond(),
                    Double.isNaN(row.forwardMacs()) ? "" : String.format(Locale.ROOT, "%.0f", row.forwardMacs()),
                    r.peakResidentBytes() / MB, row.modelBytes() / MB, row.estimatedBytes() / MB));
        }
        return text.toString();
    }

    /**
     * The median step as a PNG chart: over T with a line per batch when T was swept, else over the
     * batch.
     *
     * @param overTimeSteps whether T is the x axis
     */
    byte[] png(String title, boolean overTimeSteps) throws IOException {
        XYChart chart = EpochCharts.chart(title, "median step (ms)");
        chart.setXAxisTitle(overTimeSteps ? "T (time-steps)" : "batch");
        Map<String, List<Integer>> xs = new LinkedHashMap<>();
        Map<String, List<Double>> ys = new LinkedHashMap<>();
        for (Row row : rows) {
            String line = overTimeSteps ? "batch " + row.point().batch() : "median step";
            xs.computeIfAbsent(line, l -> new ArrayList<>()).add(overTimeSteps ? row.point().timeSteps()
                    : row.point().batch());
            ys.computeIfAbsent(line, l -> new ArrayList<>()).add(row.result().medianMillis());
        }
        int index = 0;
        for (String line : xs.keySet()) {
            EpochCharts.line(chart, line, xs.get(line), ys.get(line), null, EpochCharts.color(index++), false);
        }
        return EpochCharts.png(chart);
    }
}
