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
import org.knowm.xchart.XYChart;

/**
 * Draws {@code loss.png} and {@code accuracy.png} after every epoch: per model, the test curve
 * (solid) and the training curve (dashed) over epochs, epoch 0 being an evaluation before
 * training. Each file is replaced atomically, so a reader never sees half a PNG.
 */
final class CurvePlots implements RunListener {
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
        XYChart loss = EpochCharts.chart("Loss", "loss (test: cross-entropy; train: training loss)");
        XYChart accuracy = EpochCharts.chart("Top-1 accuracy", "accuracy (%)");
        int index = 0;
        for (Map.Entry<String, Curves> entry : models.entrySet()) {
            String model = entry.getKey();
            Curves curves = entry.getValue();
            // one colour per model, in the order the models appear, shared by its test and training curves
            Color color = EpochCharts.color(index++);
            EpochCharts.line(loss, model + " test", curves.testEpochs, curves.testLoss, null, color, false);
            EpochCharts.line(loss, model + " train", curves.trainEpochs, curves.trainLoss, null, color, true);
            EpochCharts.line(accuracy, model + " test", curves.testEpochs, curves.testAccuracy, null, color, false);
            EpochCharts.line(accuracy, model + " train", curves.trainEpochs, curves.trainAccuracy, null, color, true);
        }
        try {
            AtomicFiles.write(lossFile, EpochCharts.png(loss));
            AtomicFiles.write(accuracyFile, EpochCharts.png(accuracy));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plots " + lossFile + " and " + accuracyFile, e);
        }
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
