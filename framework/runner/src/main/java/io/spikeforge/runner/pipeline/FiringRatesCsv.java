package io.spikeforge.runner.pipeline;

import io.spikeforge.engine.train.EpochResult;
import io.spikeforge.engine.train.EvaluationResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * Writes {@code firing_rates.csv}: per spiking model, evaluation and spiking layer, the fraction
 * of neurons and time steps that spiked on the test set ({@code model,epoch,layer,firing_rate}),
 * epochs counted as in {@code metrics.csv}. An ANN adds no rows.
 */
final class FiringRatesCsv implements RunListener {
    static final String HEADER = "model,epoch,layer,firing_rate";

    private final EpochRowsFile file;

    private FiringRatesCsv(EpochRowsFile file) {
        this.file = file;
    }

    /** Creates the file with its header line. */
    static FiringRatesCsv create(Path file) throws IOException {
        return new FiringRatesCsv(EpochRowsFile.create(file, HEADER));
    }

    /** Continues the file of a resumed run, keeping the rows {@code keep} accepts. */
    static FiringRatesCsv resume(Path file, BiPredicate<String, Integer> keep) throws IOException {
        return new FiringRatesCsv(EpochRowsFile.resume(file, HEADER, keep, (lineNumber, line) -> { }));
    }

    @Override
    public void onEpoch(EpochResult epoch) {
        append(epoch.model(), epoch.epoch() + 1, epoch.evaluation());
    }

    @Override
    public void onEvaluation(String model, EvaluationResult evaluation) {
        append(model, 0, evaluation);
    }

    private void append(String model, int epoch, EvaluationResult evaluation) {
        List<String> rows = new ArrayList<>();
        evaluation.firingRates().forEach((layer, rate) -> rows.add(model + "," + epoch + "," + layer + ","
                + Double.toString(rate)));
        if (!rows.isEmpty()) {
            file.append(rows);
        }
    }
}
