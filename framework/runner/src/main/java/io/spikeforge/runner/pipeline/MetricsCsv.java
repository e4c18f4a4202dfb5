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
public final class MetricsCsv implements RunListener {
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

    /**
     * Every complete row of the file, in order (a last row torn by a crash is left out).
     *
     * @throws IOException when the file cannot be read or is not a metrics file of this layout
     *     (the message names the file and line)
     */
    public static List<Row> read(Path file) throws IOException {
        String text = Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        if (!lines[0].equals(HEADER)) {
            throw new IOException(file + ":1: expected the header '" + HEADER + "'");
        }
        List<Row> rows = new ArrayList<>();
        // the last element is empty when the file ends with a newline, else a row still being written
        for (int i = 1; i < lines.length - 1; i++) {
            if (!lines[i].isEmpty()) {
                rows.add(Row.parse(file, i + 1, lines[i]));
            }
        }
        return rows;
    }

    /** A resumed metrics file and the rows it kept. */
    record Resumed(MetricsCsv metrics, List<Row> rows) {
    }

    /**
     * One row of the file; NaN for an empty cell. Accuracies are fractions in [0, 1].
     *
     * @param epoch from 1; 0 for an evaluation before training
     * @param epochSeconds the epoch's wall time, training and evaluation; NaN for epoch 0
     * @param meanFiringRate the mean over the spiking layers on the test set; NaN for an ANN
     */
    public record Row(String model, int epoch, double trainLoss, double trainAccuracy, double testLoss,
               double testAccuracy, double epochSeconds, double meanFiringRate) {
        static Row parse(Path file, int lineNumber, String line) throws IOException {
            String[] cells = line.split(",", -1);
            if (cells.length != HEADER.split(",").length) {
                throw new IOException(file + ":" + lineNumber + ": " + cells.length + " cells, expected "
                        + HEADER.split(",").length + " (" + HEADER + ")");
            }
            try {
                return new Row(cells[0], Integer.parseInt(cells[1]), cell(cells[3]), cell(cells[4]), cell(cells[5]),
                        cell(cells[6]), cell(cells[7]), cell(cells[8]));
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
