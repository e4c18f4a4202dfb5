package io.spikeforge.runner.pipeline;

import io.spikeforge.common.AtomicFiles;
import io.spikeforge.engine.convert.ConversionErrorRow;
import io.spikeforge.engine.convert.ConversionEvaluation;
import io.spikeforge.engine.energy.EnergyReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the tables of a {@code convert} run, each atomically and whole (a resumed run writes them
 * again): {@code accuracy-vs-timesteps.csv} and {@code conversion-errors.csv}; the converted network's
 * energy per layer goes into {@code energy.csv} with every other model's ({@link EnergyCsv}).
 * Numbers are written as Java writes doubles (shortest exact form), accuracies as fractions in [0, 1].
 */
final class ConversionFiles {
    static final String ACCURACY_HEADER = "time_steps,snn_accuracy,ann_accuracy,accumulates,multiply_accumulates,"
            + "millijoules";
    static final String ERRORS_HEADER = "layer,time_steps,quantization_error,deviation_error,current_mean,"
            + "current_variance,threshold,firing_rate";

    private ConversionFiles() {
    }

    /** All three tables in the run folder. */
    static void write(RunFolder folder, ConversionResult result)
            throws IOException {
        write(folder, RunFolder.ACCURACY_VS_TIMESTEPS, accuracyTable(result.evaluation()));
        write(folder, RunFolder.CONVERSION_ERRORS, errorTable(result.errors()));
    }

    /**
     * One row per evaluated T: the converted network's top-1 accuracy, the (BN-folded) ANN's on the
     * same images, and the converted network's operations and energy per image over the first T steps.
     */
    static String accuracyTable(ConversionEvaluation evaluation) {
        StringBuilder text = new StringBuilder(ACCURACY_HEADER).append('\n');
        for (Map.Entry<Integer, Double> entry : evaluation.accuracy().entrySet()) {
            EnergyReport energy = evaluation.energy().get(entry.getKey());
            text.append(entry.getKey()).append(',').append(entry.getValue()).append(',')
                    .append(evaluation.annAccuracy()).append(',')
                    .append(energy == null ? "" : Double.toString(energy.accumulates())).append(',')
                    .append(energy == null ? "" : Double.toString(energy.multiplyAccumulates())).append(',')
                    .append(energy == null ? "" : Double.toString(energy.millijoules())).append('\n');
        }
        return text.toString();
    }

    /**
     * The converted network's accuracy at each T, from {@code accuracy-vs-timesteps.csv}.
     *
     * @throws IOException when the file cannot be read or a row is not of this layout (naming the file and line)
     */
    static Map<Integer, Double> readAccuracy(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(ACCURACY_HEADER)) {
            throw new IOException(file + ":1: expected the header '" + ACCURACY_HEADER + "'");
        }
        Map<Integer, Double> accuracy = new TreeMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            try {
                accuracy.put(Integer.parseInt(cells[0]), Double.parseDouble(cells[1]));
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new IOException(file + ":" + (i + 1) + ": expected time_steps and snn_accuracy, got '"
                        + lines.get(i) + "'", e);
            }
        }
        return accuracy;
    }

    /** One row per spiking layer and analysed T, layers in forward order within each T. */
    static String errorTable(List<ConversionErrorRow> rows) {
        StringBuilder text = new StringBuilder(ERRORS_HEADER).append('\n');
        for (ConversionErrorRow row : rows) {
            text.append(row.layer()).append(',').append(row.timeSteps()).append(',')
                    .append(row.quantizationError()).append(',').append(row.deviationError()).append(',')
                    .append(row.inputMean()).append(',').append(row.inputVariance()).append(',')
                    .append(row.meanThreshold()).append(',').append(row.firingRate()).append('\n');
        }
        return text.toString();
    }

    private static void write(RunFolder folder, String name, String text) throws IOException {
        AtomicFiles.write(folder.file(name), text.getBytes(StandardCharsets.UTF_8));
    }
}
