package io.spikeforge.runner.pipeline;

import io.spikeforge.common.AtomicFiles;
import io.spikeforge.engine.convert.ConversionErrorRow;
import io.spikeforge.engine.convert.ConversionEvaluation;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the plots of a {@code convert} run, each written atomically: {@code accuracy-vs-timesteps.png}
 * (the converted network's test accuracy over T on a log2 axis, the ANN's as a horizontal line),
 * {@code conversion-errors.png} (per spiking layer the quantization error with the deviation error
 * stacked on it, one panel per analysed T) and {@code current-variance.png} (per spiking layer the
 * variance over time of its input current, one line per analysed T).
 */
final class ConversionPlots {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;
    private static final int PANEL_HEIGHT = 380;
    /** Pixels per layer on a layer axis, so that ResNet-110's 109 names stay readable. */
    private static final int PIXELS_PER_LAYER = 14;
    private static final Color SNN = new Color(0x1f77b4);
    private static final Color ANN = new Color(0x7f7f7f);
    private static final Color QUANTIZATION = new Color(0x1f77b4);
    private static final Color DEVIATION = new Color(0xff7f0e);

    private ConversionPlots() {
    }

    /** All three plots in the run folder. */
    static void write(RunFolder folder, ConversionResult result) throws IOException {
        png(folder.file(RunFolder.ACCURACY_VS_TIMESTEPS_PLOT), image(accuracy(result.evaluation())));
        Map<Integer, List<ConversionErrorRow>> byTimeSteps = byTimeSteps(result.errors());
        if (!byTimeSteps.isEmpty()) {
            png(folder.file(RunFolder.CONVERSION_ERRORS_PLOT), panels(errorCharts(byTimeSteps)));
            png(folder.file(RunFolder.CURRENT_VARIANCE_PLOT), image(variance(byTimeSteps)));
        }
    }

    static XYChart accuracy(ConversionEvaluation evaluation) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Converted network: test accuracy over time-steps").xAxisTitle("time-steps T")
                .yAxisTitle("accuracy (%)").build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(evaluation.accuracy().size() > 1);
        chart.getStyler().setXAxisDecimalPattern("0");
        List<Integer> steps = new ArrayList<>(evaluation.accuracy().keySet());
        List<Double> percent = evaluation.accuracy().values().stream().map(a -> 100 * a).toList();
        XYSeries snn = chart.addSeries("SNN", steps, percent);
        snn.setMarker(SeriesMarkers.CIRCLE);
        snn.setLineColor(SNN);
        snn.setMarkerColor(SNN);
        double ann = 100 * evaluation.annAccuracy();
        XYSeries line = chart.addSeries(String.format(java.util.Locale.ROOT, "ANN (%.2f%%)", ann),
                List.of(steps.get(0), steps.get(steps.size() - 1)), List.of(ann, ann));
        line.setMarker(SeriesMarkers.NONE);
        line.setLineStyle(SeriesLines.DASH_DASH);
        line.setLineColor(ANN);
        return chart;
    }

    static List<CategoryChart> errorCharts(Map<Integer, List<ConversionErrorRow>> byTimeSteps) {
        List<CategoryChart> charts = new ArrayList<>();
        for (Map.Entry<Integer, List<ConversionErrorRow>> entry : byTimeSteps.entrySet()) {
            List<ConversionErrorRow> rows = entry.getValue();
            CategoryChart chart = new CategoryChartBuilder().width(layerAxisWidth(rows.size())).height(PANEL_HEIGHT)
                    .title("Conversion error per spiking layer, T = " + entry.getKey())
                    .xAxisTitle("spiking layer").yAxisTitle("mean squared error").build();
            style(chart.getStyler());
            chart.getStyler().setStacked(true);
            chart.getStyler().setXAxisLabelRotation(90);
            chart.getStyler().setOverlapped(false);
            List<String> layers = rows.stream().map(ConversionErrorRow::layer).toList();
            CategorySeries quantization = chart.addSeries("quantization", layers,
                    rows.stream().map(ConversionErrorRow::quantizationError).toList());
            quantization.setFillColor(QUANTIZATION);
            CategorySeries deviation = chart.addSeries("deviation", layers,
                    rows.stream().map(ConversionErrorRow::deviationError).toList());
            deviation.setFillColor(DEVIATION);
            charts.add(chart);
        }
        return charts;
    }

    static CategoryChart variance(Map<Integer, List<ConversionErrorRow>> byTimeSteps) {
        int layers = byTimeSteps.values().iterator().next().size();
        CategoryChart chart = new CategoryChartBuilder().width(layerAxisWidth(layers)).height(HEIGHT)
                .title("Variance over time of each spiking layer's input current").xAxisTitle("spiking layer")
                .yAxisTitle("variance").build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setXAxisLabelRotation(90);
        for (Map.Entry<Integer, List<ConversionErrorRow>> entry : byTimeSteps.entrySet()) {
            List<ConversionErrorRow> rows = entry.getValue();
            CategorySeries series = chart.addSeries("T = " + entry.getKey(),
                    rows.stream().map(ConversionErrorRow::layer).toList(),
                    rows.stream().map(ConversionErrorRow::inputVariance).toList());
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /** The rows of each analysed T, in ascending T, each in the order given (forward order). */
    static Map<Integer, List<ConversionErrorRow>> byTimeSteps(List<ConversionErrorRow> rows) {
        Map<Integer, List<ConversionErrorRow>> grouped = new TreeMap<>();
        for (ConversionErrorRow row : rows) {
            grouped.computeIfAbsent(row.timeSteps(), t -> new ArrayList<>()).add(row);
        }
        return new LinkedHashMap<>(grouped);
    }

    private static int layerAxisWidth(int layers) {
        return Math.max(WIDTH, 200 + PIXELS_PER_LAYER * layers);
    }

    private static void style(Styler styler) {
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartBackgroundColor(Color.WHITE);
    }

    private static BufferedImage image(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** The charts one below the other in one image. */
    private static BufferedImage panels(List<? extends Chart<?, ?>> charts) {
        List<BufferedImage> images = charts.stream().map(ConversionPlots::image).toList();
        int width = images.stream().mapToInt(BufferedImage::getWidth).max().orElse(WIDTH);
        int height = images.stream().mapToInt(BufferedImage::getHeight).sum();
        BufferedImage all = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int y = 0;
            for (BufferedImage image : images) {
                g.drawImage(image, 0, y, null);
                y += image.getHeight();
            }
        } finally {
            g.dispose();
        }
        return all;
    }

    private static void png(Path file, BufferedImage image) throws IOException {
        AtomicFiles.write(file, EpochCharts.png(image));
    }
}
