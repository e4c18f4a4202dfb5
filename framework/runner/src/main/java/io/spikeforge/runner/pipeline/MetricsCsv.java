package io.spikeforge.runner.pipeline;

import io.spikeforge.engine.train.EpochResult;
import io.spikeforge.engine.train.EvaluationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiPredicate;

/**
 * Writes {@code metrics.csv}: one row per model and epoch, appended (and so on disk) as soon as the
 * epoch ends, so a crash keeps every finished epoch. Epochs count from 1; epoch 0 is an evaluation
 * before any training (a loaded teacher, the initialized student), whose training columns are
 * empty. {@code test_loss} is the cross-entropy whatever the training loss; {@code train_loss} is
 * the training loss (with distillation: its full value). {@code epoch_seconds} is the epoch's wall
 * time, training and evaluation together (MLflow's {@code <model>.epoch_seconds} is the same).
 * {@code mean_firing_rate} is the mean over the spiking layers, empty for an ANN.
 */
final class MetricsCsv implements RunListener {
    static final String HEADER = "model,epoch,lr,train_loss,train_accuracy,test_loss,test_accuracy,epoch_seconds,"
            + "mean_firing_rate";

    private final EpochRowsFile file;

    private MetricsCsv(EpochRowsFile file) {
        this.file = file;
    }

    /** Creates the file with its header line. */
    static MetricsCsv create(Path file) throws IOException {
        return new MetricsCsv(EpochRowsFile.create(file, HEADER));
    }

    /**
     * Continues the file of a resumed run: keeps (rewriting the file atomically) the header and the
     * rows that the checkpoints cover, drops the rows of epochs that will run again, and appends
     * from there.
     *
     * @param keep whether the row of a model and epoch stays
     * @return the kept rows, for listeners that redraw the history
     * @throws IOException when the file is missing or is not a metrics file of this layout
     */
    static Resumed resume(Path file, BiPredicate<String, Integer> keep) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "the run folder has no metrics file");
        }
        List<Row> rows = new ArrayList<>();
        EpochRowsFile resumed = EpochRowsFile.resume(file, HEADER, keep,
                (lineNumber, line) -> rows.add(Row.parse(file, lineNumber, line)));
        return new Resumed(new MetricsCsv(resumed), rows);
    }

    /** A resumed metrics file and the rows it kept. */
    record Resumed(MetricsCsv metrics, List<Row> rows) {
    }

    /**
     * One row of the file; NaN for an empty cell.
     *
     * @param epoch from 1; 0 for an evaluation before training
     */
    record Row(String model, int epoch, double trainLoss, double trainAccuracy, double testLoss,
               double testAccuracy) {
        static Row parse(Path file, int lineNumber, String line) throws IOException {
            String[] cells = line.split(",", -1);
            if (cells.length != HEADER.split(",").length) {
                throw new IOException(file + ":" + lineNumber + ": " + cells.length + " cells, expected "
                        + HEADER.split(",").length + " (" + HEADER + ")");
            }
            try {
                return new Row(cells[0], Integer.parseInt(cells[1]), cell(cells[3]), cell(cells[4]), cell(cells[5]),
                        cell(cells[6]));
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + lineNumber + ": not a number: " + e.getMessage(), e);
            }
        }

        private static double cell(String text) {
            return text.isEmpty() ? Double.NaN : Double.parseDouble(text);
        }
    }

    @Override
    public void onEpoch(EpochResult epoch) {
        append(epoch.model(), epoch.epoch() + 1, number(epoch.learningRate()), number(epoch.trainLoss()),
                number(epoch.trainAccuracy()), epoch.evaluation(), epoch.totalTime().toNanos() / 1e9);
    }

    @Override
    public void onEvaluation(String model, EvaluationResult evaluation) {
        append(model, 0, "", "", "", evaluation, Double.NaN);
    }

    private void append(String model, int epoch, String lr, String trainLoss, String trainAccuracy,
                        EvaluationResult evaluation, double seconds) {
        String row = String.join(",", model, Integer.toString(epoch), lr, trainLoss, trainAccuracy,
                number(evaluation.loss()), number(evaluation.accuracy()),
                Double.isNaN(seconds) ? "" : String.format(Locale.ROOT, "%.3f", seconds),
                number(evaluation.meanFiringRate()));
        file.append(List.of(row));
    }

    /** Shortest text that reads back as the same double; empty for NaN (no value). */
    private static String number(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }
}
