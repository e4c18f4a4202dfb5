package io.spikeforge.runner.pipeline;

import io.spikeforge.engine.train.EpochResult;
import io.spikeforge.engine.train.EvaluationResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Writes {@code metrics.csv}: one row per model and epoch, appended (and so on disk) as soon as the
 * epoch ends, so a crash keeps every finished epoch. Epochs count from 1; epoch 0 is an evaluation
 * before any training (a loaded teacher, the initialized student), whose training columns are
 * empty. {@code test_loss} is the cross-entropy whatever the training loss; {@code train_loss} is
 * the training loss (with distillation: its full value). {@code mean_firing_rate} is the mean over
 * the spiking layers, empty for an ANN.
 */
final class MetricsCsv implements RunListener {
    static final String HEADER = "model,epoch,lr,train_loss,train_accuracy,test_loss,test_accuracy,epoch_seconds,"
            + "mean_firing_rate";

    private final Path file;

    /** Creates the file with its header line. */
    MetricsCsv(Path file) throws IOException {
        this.file = file;
        Files.writeString(file, HEADER + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
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
        try {
            Files.writeString(file, row + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    /** Shortest text that reads back as the same double; empty for NaN (no value). */
    private static String number(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }
}
