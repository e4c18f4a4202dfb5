package io.spikeforge.runner.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a run folder holds so far, read back for whoever compares runs (such as a sweep's report):
 * its status word, its {@code metrics.csv} rows, each model's energy per image ({@code energy.csv})
 * and a {@code convert} run's accuracy of the converted network at each T. Files a run writes only
 * at its end, or only for some kinds, are empty here when absent. The formats are those of the
 * writers in this package, read by them.
 *
 * @param folder the run folder
 * @param statusWord the first line of its {@code status} file, such as {@code finished}
 * @param metrics the rows of {@code metrics.csv}, in order
 * @param energyPicojoules each model's picojoules per test image, from {@code energy.csv}'s total rows
 * @param convertedAccuracy a {@code convert} run's accuracy of the converted network by T, ascending
 */
public record RecordedRun(Path folder, String statusWord, List<MetricsCsv.Row> metrics,
                          Map<String, Double> energyPicojoules, Map<Integer, Double> convertedAccuracy) {
    public RecordedRun {
        metrics = List.copyOf(metrics);
        energyPicojoules = Map.copyOf(energyPicojoules);
        convertedAccuracy = Collections.unmodifiableMap(new TreeMap<>(convertedAccuracy));
    }

    /**
     * Reads a run folder.
     *
     * @throws NoSuchFileException when {@code folder} is not a run folder (the message says why)
     * @throws IOException when a file cannot be read or is not of its layout (naming the file and line)
     */
    public static RecordedRun read(Path folder) throws IOException {
        RunFolder run = RunFolder.open(folder);
        Path metrics = run.file(RunFolder.METRICS);
        Path energy = run.file(RunFolder.ENERGY);
        Path accuracy = run.file(RunFolder.ACCURACY_VS_TIMESTEPS);
        return new RecordedRun(folder, run.readStatusWord(),
                Files.isRegularFile(metrics) ? MetricsCsv.read(metrics) : List.of(),
                Files.isRegularFile(energy) ? EnergyCsv.readTotalPicojoules(energy) : Map.of(),
                Files.isRegularFile(accuracy) ? ConversionFiles.readAccuracy(accuracy) : Map.of());
    }

    /** The rows of one model, in epoch order. */
    public List<MetricsCsv.Row> metricsOf(String model) {
        return metrics.stream().filter(row -> row.model().equals(model)).toList();
    }

    /**
     * The model a comparison of runs looks at unless told otherwise: the {@code student} of a
     * {@code distill} run, the {@code model} of a {@code train} run, the converted {@code snn} of
     * a {@code convert} run; empty when the run has recorded none of them yet.
     */
    public Optional<String> mainModel() {
        for (String model : List.of(ExperimentPipeline.STUDENT, ExperimentPipeline.MODEL)) {
            if (!metricsOf(model).isEmpty()) {
                return Optional.of(model);
            }
        }
        if (!convertedAccuracy.isEmpty() || energyPicojoules.containsKey(ExperimentPipeline.SNN)) {
            return Optional.of(ExperimentPipeline.SNN);
        }
        return Optional.empty();
    }
}
