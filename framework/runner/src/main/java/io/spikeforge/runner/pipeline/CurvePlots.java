package io.spikeforge.runner.pipeline;

import io.spikeforge.common.AtomicFiles;
import io.spikeforge.engine.train.EpochResult;
import io.spikeforge.engine.train.EvaluationResult;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws {@code loss.png} and {@code accuracy.png} after every epoch: per model, the test curve
 * (solid) and the training curve (dashed) over epochs, epoch 0 being an evaluation before
 * training. Each file is replaced atomically, so a reader never sees half a PNG.
 */
final class CurvePlots implements RunListener {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;
    /** One colour per model, in the order the models appear, shared by its test and training curves. */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c)};

    private final Path lossFile;
    private final Path accuracyFile;
    private final Map<String, Curves> models = new LinkedHashMap<>();

    CurvePlots(Path lossFile, Path accuracyFile) {
        this.lossFile = lossFile;
        this.accuracyFile = accuracyFile;
    }

    /** Adds the points of earlier epochs (a resumed run's), drawn with the next epoch's. */
    void preload(List<MetricsCsv.Row> rows) {
        for (MetricsCsv.Row row : rows) {
            Curves curves = models.computeIfAbsent(row.model(), m -> new Curves());
            curves.test(row.epoch(), row.testLoss(), row.testAccuracy());
            if (!Double.isNaN(row.trainLoss())) {
                curves.train(row.epoch(), row.trainLoss(), row.trainAccuracy());
            }
        }
    }

    @Override
    public void onEpoch(EpochResult epoch) {
        Curves curves = models.computeIfAbsent(epoch.model(), m -> new Curves());
        curves.test(epoch.epoch() + 1, epoch.evaluation().loss(), epoch.evaluation().accuracy());
        curves.train(epoch.epoch() + 1, epoch.trainLoss(), epoch.trainAccuracy());
        draw();
    }

    @Override
    public void onEvaluation(String model, EvaluationResult evaluation) {
        models.computeIfAbsent(model, m -> new Curves()).test(0, evaluation.loss(), evaluation.accuracy());
        draw();
    }

    private void draw() {
        XYChart loss = chart("Loss", "loss (test: cross-entropy; train: training loss)");
        XYChart accuracy = chart("Top-1 accuracy", "accuracy (%)");
        int index = 0;
        for (Map.Entry<String, Curves> entry : models.entrySet()) {
            String model = entry.getKey();
            Curves curves = entry.getValue();
            Color color = PALETTE[index++ % PALETTE.length];
            add(loss, model + " test", curves.testEpochs, curves.testLoss, color, false);
            add(loss, model + " train", curves.trainEpochs, curves.trainLoss, color, true);
            add(accuracy, model + " test", curves.testEpochs, curves.testAccuracy, color, false);
            add(accuracy, model + " train", curves.trainEpochs, curves.trainAccuracy, color, true);
        }
        try {
            AtomicFiles.write(lossFile, BitmapEncoder.getBitmapBytes(loss, BitmapEncoder.BitmapFormat.PNG));
            AtomicFiles.write(accuracyFile, BitmapEncoder.getBitmapBytes(accuracy, BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plots " + lossFile + " and " + accuracyFile, e);
        }
    }

    private static XYChart chart(String title, String yAxis) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch")
                .yAxisTitle(yAxis).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("0");
        return chart;
    }

    private static void add(XYChart chart, String name, List<Integer> epochs, List<Double> values, Color color,
                            boolean dashed) {
        if (epochs.isEmpty()) {
            return;
        }
        XYSeries series = chart.addSeries(name, epochs, values);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setLineStyle(dashed ? SeriesLines.DASH_DASH : SeriesLines.SOLID);
        series.setLineColor(color);
        series.setMarkerColor(color);
    }

    /** The points of one model. */
    private static final class Curves {
        final List<Integer> testEpochs = new ArrayList<>();
        final List<Double> testLoss = new ArrayList<>();
        final List<Double> testAccuracy = new ArrayList<>();
        final List<Integer> trainEpochs = new ArrayList<>();
        final List<Double> trainLoss = new ArrayList<>();
        final List<Double> trainAccuracy = new ArrayList<>();

        void test(int epoch, double loss, double accuracy) {
            testEpochs.add(epoch);
            testLoss.add(loss);
            testAccuracy.add(100 * accuracy);
        }

        void train(int epoch, double loss, double accuracy) {
            trainEpochs.add(epoch);
            trainLoss.add(loss);
            trainAccuracy.add(100 * accuracy);
        }
    }
}
