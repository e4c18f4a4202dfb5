package io.spikeforge.runner.report;

import io.spikeforge.runner.pipeline.EpochCharts;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.XYChart;

/**
 * The report's curves, one line per row in the look of a run's own plots ({@link EpochCharts}):
 * the mean over a group's seeds with error bars of one standard deviation.
 */
final class ReportPlots {
    private ReportPlots() {
    }

    /** Test accuracy (percent) per epoch. */
    static byte[] accuracy(List<ReportRow> rows) throws IOException {
        return draw(EpochCharts.chart("Test accuracy", "top-1 accuracy (%)"), rows,
                curve -> curve.mean().accuracy(), ReportRow.MeanCurve::accuracyStd);
    }

    /** Test loss (cross-entropy) per epoch. */
    static byte[] loss(List<ReportRow> rows) throws IOException {
        return draw(EpochCharts.chart("Test loss", "cross-entropy"), rows, curve -> curve.mean().loss(),
                ReportRow.MeanCurve::lossStd);
    }

    private static byte[] draw(XYChart chart, List<ReportRow> rows, Function<ReportRow.MeanCurve, List<Double>> values,
                               Function<ReportRow.MeanCurve, List<Double>> stds) throws IOException {
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        int index = 0;
        for (ReportRow row : rows) {
            ReportRow.MeanCurve curve = row.curve();
            // error bars only where a standard deviation exists (a group of several seeds)
            List<Double> errors = row.arms().size() > 1
                    ? stds.apply(curve).stream().map(s -> Double.isNaN(s) ? 0.0 : s).toList() : null;
            String name = row.label() + (row.arms().size() > 1 ? " (n=" + row.arms().size() + ")" : "")
                    + (row.state().needsRun() ? " [" + row.state().word() + "]" : "");
            EpochCharts.line(chart, name, curve.mean().epochs(), values.apply(curve), errors,
                    EpochCharts.color(index++), row.state().needsRun());
        }
        if (chart.getSeriesMap().isEmpty()) {
            // XChart cannot draw an empty chart's axes: say so on a chart with one invisible point
            chart.setTitle(chart.getTitle() + " (no epochs recorded yet)");
            chart.addSeries("no data", new double[] {0}, new double[] {0}).setShowInLegend(false);
        }
        return EpochCharts.png(chart);
    }
}
