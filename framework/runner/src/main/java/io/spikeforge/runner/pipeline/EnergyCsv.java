package io.spikeforge.runner.pipeline;

import io.spikeforge.engine.energy.EnergyReport;
import io.spikeforge.engine.energy.LayerOperations;
import io.spikeforge.engine.train.EvaluationResult;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code energy.csv}: for each model's last evaluation on the test set, its operations per
 * image, one row per layer with weights in forward order and a {@value #TOTAL} row:
 * {@code model,layer,accumulates,multiply_accumulates,picojoules}. Accumulates are the synaptic
 * operations driven by spikes, multiply-accumulates those of layers with real-valued input (every
 * layer of an ANN; a spiking network's encoding layer and classifier); picojoules prices them at
 * {@value EnergyReport#ACCUMULATE_PICOJOULES} and {@value EnergyReport#MULTIPLY_ACCUMULATE_PICOJOULES} pJ.
 * Written once, atomically, when the run ends, from the evaluations the run result holds.
 */
final class EnergyCsv {
    static final String HEADER = "model,layer,accumulates,multiply_accumulates,picojoules";
    /** The layer name of a model's total row. */
    static final String TOTAL = "total";

    private EnergyCsv() {
    }

    /**
     * Writes the file when at least one evaluation has an energy report (a run stopped before any
     * evaluation has none, nor has a model restored from a checkpoint written before energy was counted).
     *
     * @return whether it was written
     */
    static boolean write(RunFolder folder, Map<String, EvaluationResult> evaluations) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        boolean any = false;
        for (Map.Entry<String, EvaluationResult> entry : evaluations.entrySet()) {
            if (entry.getValue().energy().isEmpty()) {
                continue;
            }
            any = true;
            EnergyReport report = entry.getValue().energy().get();
            for (LayerOperations layer : report.layers()) {
                row(text, entry.getKey(), layer.layer(), layer.accumulates(), layer.multiplyAccumulates(),
                        layer.picojoules());
            }
            row(text, entry.getKey(), TOTAL, report.accumulates(), report.multiplyAccumulates(),
                    report.millijoules() * 1e9);
        }
        if (any) {
            folder.write(RunFolder.ENERGY, text.toString());
        }
        return any;
    }

    /**
     * Each model's picojoules per image, from its {@value #TOTAL} row.
     *
     * @throws IOException when the file cannot be read or a row is not of this layout (naming the file and line)
     */
    static Map<String, Double> readTotalPicojoules(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException(file + ":1: expected the header '" + HEADER + "'");
        }
        Map<String, Double> totals = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            if (cells.length != 5) {
                throw new IOException(file + ":" + (i + 1) + ": expected 5 cells (" + HEADER + "), got " + cells.length);
            }
            if (cells[1].equals(TOTAL)) {
                try {
                    totals.put(cells[0], Double.parseDouble(cells[4]));
                } catch (NumberFormatException e) {
                    throw new IOException(file + ":" + (i + 1) + ": picojoules is not a number: " + cells[4], e);
                }
            }
        }
        return totals;
    }

    private static void row(StringBuilder text, String model, String layer, double accumulates,
                            double multiplyAccumulates, double picojoules) {
        text.append(String.join(",", model, layer, count(accumulates), count(multiplyAccumulates),
                String.format(Locale.ROOT, "%.3f", picojoules))).append('\n');
    }

    /** Plain decimal notation to a thousandth: a per-image mean over the evaluated images. */
    private static String count(double value) {
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }
}
