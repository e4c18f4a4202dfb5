package io.spikeforge.runner.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.HostInfo;
import io.spikeforge.engine.convert.ConversionEvaluation;
import io.spikeforge.engine.io.Safetensors;
import io.spikeforge.engine.io.SafetensorsFile;
import io.spikeforge.runner.config.ConvertExperiment;
import io.spikeforge.testkit.SlowTest;
import io.spikeforge.tracking.RunStatus;
import io.spikeforge.tracking.RunTracker;
import io.spikeforge.tracking.RunTrackers;
import io.spikeforge.tracking.TrackingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kind {@code convert} end to end on a tiny ResNet and a generated synthetic set: every file of
 * the run folder, MLflow, progress by layer, loading the ANN from weights, and {@code --resume} of a
 * run stopped after its calibration, which reads the thresholds back instead of calibrating again.
 */
@SlowTest
class ConvertKindTest {
    private static final Clock NEW_YEAR = Clock.fixed(Instant.parse("2024-01-02T03:04:05Z"), ZoneOffset.UTC);
    private static final List<String> FILES = List.of("config.yaml", "status", "metrics.csv", "ann.safetensors",
            "checkpoints/ann-last.safetensors", "thresholds.safetensors", "accuracy-vs-timesteps.csv",
            "accuracy-vs-timesteps.png", "conversion-errors.csv", "conversion-errors.png", "current-variance.png",
            "energy.csv", "loss.png", "accuracy.png");
    /** The tables a resumed run writes again, to the same bytes. */
    private static final List<String> TABLES = List.of("accuracy-vs-timesteps.csv", "conversion-errors.csv",
            "energy.csv", "thresholds.safetensors");

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    /** A ResNet-8 (widths 4/8/8) trained one epoch on 64 images, converted and evaluated on 32. */
    private ConvertExperiment experiment(Path folder, String... overrides) throws Exception {
        Path file = folder.resolve("tiny-convert.yaml");
        Files.writeString(file, """
                kind: convert
                experiment: {name: tiny-convert, seed: 3}
                dataset: {name: synthetic, path: %s, train_limit: 64, test_limit: 32}
                model: {architecture: resnet, depth: 8, widths: [4, 8, 8]}
                training:
                  epochs: 1
                  batch_size: 16
                  schedule: {name: constant}
                conversion:
                  thresholds: {id: percentile, p: 99}
                  calibration_batches: 2
                  calibration_time_steps: 4
                  time_steps: [1, 2, 4, 8]
                  analysis: {images: 24, time_steps: [2, 8]}
                tracking: {enabled: false}
                outputs: {dir: %s}
                """.formatted(shared.resolve("synthetic"), folder.resolve("runs")));
        return (ConvertExperiment) TinyExperiments.loader(List.of(TestThresholdStrategies.percentile(),
                TestThresholdStrategies.max())).load(file, List.of(overrides));
    }

    /** Records what a conversion tells its listeners. */
    private static final class Recorder implements RunListener {
        final List<String> calibrated = new ArrayList<>();
        final List<ConversionStage> stages = new ArrayList<>();
        ConversionResult result;

        @Override
        public void onConversionProgress(String model, ConversionStage stage, int done, int total, String item) {
            assertEquals(ExperimentPipeline.SNN, model);
            assertTrue(done >= 1 && done <= total, done + " of " + total);
            if (!stages.contains(stage)) {
                stages.add(stage);
            }
            if (stage == ConversionStage.CALIBRATION) {
                calibrated.add(item);
            }
        }

        @Override
        public void onConversion(String model, ConversionResult conversion) {
            result = conversion;
        }
    }

    @Test
    void aTrainedAnnIsConvertedEvaluatedOverTimeStepsAndAnalysedWithEveryFileAndMlflow() throws Exception {
        ConvertExperiment experiment = experiment(dir, "tracking.enabled=true");
        TrackingOptions options = TrackingRunListener.options(experiment.tracking(), Map.of(), dir);
        Recorder recorder = new Recorder();
        TestThresholdStrategies.resetCount();
        RunResult result;
        try (RunTracker tracker = RunTrackers.open(options)) {
            result = ExperimentPipeline.builder(experiment).clock(NEW_YEAR).listener(recorder)
                    .listener(new TrackingRunListener(tracker, Optional.empty(), new HostInfo("test", "CPU"))).build()
                    .run();
        }
        assertEquals(RunStatus.FINISHED, result.status(), () -> result.error().orElse(""));
        assertEquals(List.of("ann", "snn"), result.models());
        Path folder = result.folder();
        for (String file : FILES) {
            assertTrue(Files.isRegularFile(folder.resolve(file)) && Files.size(folder.resolve(file)) > 0, file);
        }
        assertTrue(Files.readString(folder.resolve("config.yaml")).startsWith("kind: convert\n"));

        // calibration went layer by layer, then evaluation and analysis by batch
        assertEquals(List.of(ConversionStage.CALIBRATION, ConversionStage.EVALUATION, ConversionStage.ANALYSIS),
                recorder.stages);
        assertFalse(recorder.calibrated.isEmpty());
        assertEquals(recorder.calibrated.size(), TestThresholdStrategies.layersCalibrated());
        assertTrue(recorder.result.calibrated());

        ConversionEvaluation evaluation = recorder.result.evaluation();
        assertEquals(List.of(1, 2, 4, 8), List.copyOf(evaluation.accuracy().keySet()));
        assertEquals(32, evaluation.images());
        // the folded ANN is the ANN: the same top-1 on the same images, up to a rounding tie
        assertEquals(result.evaluation("ann").orElseThrow().accuracy(), evaluation.annAccuracy(), 1.0 / 32);
        assertEquals(evaluation.accuracy().get(8), result.evaluation("snn").orElseThrow().accuracy());

        List<String> accuracy = Files.readAllLines(folder.resolve("accuracy-vs-timesteps.csv"));
        assertEquals(ConversionFiles.ACCURACY_HEADER, accuracy.get(0));
        assertEquals(List.of("1", "2", "4", "8"), accuracy.stream().skip(1).map(r -> r.split(",")[0]).toList());
        for (String row : accuracy.subList(1, accuracy.size())) {
            String[] cells = row.split(",");
            assertEquals(6, cells.length, row);
            assertEquals(evaluation.annAccuracy(), Double.parseDouble(cells[2]), row);
        }
        double energyAtOne = Double.parseDouble(accuracy.get(1).split(",")[5]);
        double energyAtEight = Double.parseDouble(accuracy.get(4).split(",")[5]);
        assertTrue(energyAtEight > energyAtOne, "more steps, more operations: " + accuracy);

        List<String> errors = Files.readAllLines(folder.resolve("conversion-errors.csv"));
        assertEquals(ConversionFiles.ERRORS_HEADER, errors.get(0));
        int sites = recorder.calibrated.size();
        assertEquals(1 + 2 * sites, errors.size(), "a row per analysed T and spiking layer: " + errors);
        assertEquals(recorder.calibrated, errors.subList(1, 1 + sites).stream().map(r -> r.split(",")[0]).toList());
        assertTrue(errors.stream().skip(1).allMatch(r -> r.split(",").length == 8), errors.toString());
        assertTrue(errors.get(1).split(",")[1].equals("2") && errors.get(errors.size() - 1).split(",")[1].equals("8"));
        for (String row : errors.subList(1, errors.size())) {
            String[] cells = row.split(",");
            assertTrue(Double.parseDouble(cells[2]) >= 0 && Double.parseDouble(cells[3]) >= 0, row);
            assertTrue(Double.parseDouble(cells[6]) > 0, "a positive threshold: " + row);
            double rate = Double.parseDouble(cells[7]);
            assertTrue(rate >= 0 && rate <= 1, row);
        }

        List<String> energy = Files.readAllLines(folder.resolve("energy.csv"));
        assertEquals(EnergyCsv.HEADER, energy.get(0));
        assertTrue(energy.stream().anyMatch(r -> r.startsWith("ann,")) && energy.stream().anyMatch(r -> r.startsWith(
                "snn,")), energy.toString());
        assertTrue(energy.stream().filter(r -> r.startsWith("ann,")).allMatch(r -> Double.parseDouble(r.split(",")[2])
                == 0), "the ANN does no accumulates: " + energy);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(
                Files.readAllBytes(folder.resolve("conversion-errors.png")), 4));

        Path run = mlflowRun(dir.resolve("mlruns"));
        assertEquals("convert", Files.readString(run.resolve("params/kind")));
        assertEquals("percentile", Files.readString(run.resolve("params/conversion.thresholds.id")));
        List<String> byT = Files.readAllLines(run.resolve("metrics/snn.test_accuracy"));
        assertEquals(List.of("1", "2", "4", "8"), byT.stream().map(line -> line.split(" ")[2]).toList(),
                "the accuracy's steps are the time-steps: " + byT);
        assertEquals(2, Files.readAllLines(run.resolve("metrics/snn.deviation_error")).size());
        assertTrue(Files.isRegularFile(run.resolve("metrics/snn.ann_accuracy")));
        assertTrue(Files.isRegularFile(run.resolve("metrics/ann.test_accuracy")));
        for (String artifact : List.of("thresholds.safetensors", "accuracy-vs-timesteps.png", "conversion-errors.csv",
                "energy.csv", "ann.safetensors", "checkpoints/ann-last.safetensors")) {
            assertEquals(Files.size(folder.resolve(artifact)), Files.size(run.resolve("artifacts").resolve(artifact)),
                    artifact);
        }
    }

    @Test
    void aRunStoppedAfterItsCalibrationResumesWithTheSavedThresholdsToTheNumbersOfAnUninterruptedOne()
            throws Exception {
        Path wholeDir = Files.createDirectories(dir.resolve("whole"));
        Path stoppedDir = Files.createDirectories(dir.resolve("stopped"));
        RunResult whole = ExperimentPipeline.builder(experiment(wholeDir)).clock(NEW_YEAR).build().run();
        assertEquals(RunStatus.FINISHED, whole.status(), () -> whole.error().orElse(""));

        ConvertExperiment experiment = experiment(stoppedDir);
        AtomicBoolean stop = new AtomicBoolean();
        RunResult stopped = ExperimentPipeline.builder(experiment).clock(NEW_YEAR).listener(new RunListener() {
            @Override
            public void onConversionProgress(String model, ConversionStage stage, int done, int total, String item) {
                if (stage == ConversionStage.CALIBRATION && done == total) {
                    stop.set(true);
                }
            }
        }).stopWhen(stop::get).build().run();
        assertEquals(RunStatus.INTERRUPTED, stopped.status());
        assertTrue(Files.isRegularFile(stopped.folder().resolve("thresholds.safetensors")));
        assertFalse(Files.exists(stopped.folder().resolve("accuracy-vs-timesteps.csv")));

        TestThresholdStrategies.resetCount();
        Recorder recorder = new Recorder();
        RunResult resumed = ExperimentPipeline.builder(experiment).resume(stopped.folder()).listener(recorder).build()
                .run();
        assertEquals(RunStatus.FINISHED, resumed.status(), () -> resumed.error().orElse(""));
        assertEquals(0, TestThresholdStrategies.layersCalibrated(), "the thresholds were read back, not calibrated");
        assertFalse(recorder.result.calibrated());
        assertFalse(recorder.stages.contains(ConversionStage.CALIBRATION));
        for (String table : TABLES) {
            assertArrayEquals(Files.readAllBytes(whole.folder().resolve(table)),
                    Files.readAllBytes(resumed.folder().resolve(table)), table);
        }
        assertEquals(whole.evaluation("snn"), resumed.evaluation("snn"));
    }

    @Test
    void anAnnLoadedFromWeightsIsEvaluatedNotTrainedAndConvertsAlike() throws Exception {
        Path trainedDir = Files.createDirectories(dir.resolve("trained"));
        RunResult trained = ExperimentPipeline.builder(experiment(trainedDir)).clock(NEW_YEAR).build().run();
        assertEquals(RunStatus.FINISHED, trained.status(), () -> trained.error().orElse(""));

        Path loadedDir = Files.createDirectories(dir.resolve("loaded"));
        RunResult loaded = ExperimentPipeline.builder(experiment(loadedDir, "weights="
                + trained.folder().resolve("ann.safetensors"))).clock(NEW_YEAR).build().run();
        assertEquals(RunStatus.FINISHED, loaded.status(), () -> loaded.error().orElse(""));
        assertFalse(Files.exists(loaded.folder().resolve("checkpoints/ann-last.safetensors")), "nothing trained");
        List<String> metrics = Files.readAllLines(loaded.folder().resolve("metrics.csv"));
        assertEquals(2, metrics.size(), "a header and the loaded ANN's evaluation: " + metrics);
        assertTrue(metrics.get(1).startsWith("ann,0,"), metrics.toString());
        assertEquals(trained.evaluation("ann").orElseThrow().accuracy(),
                loaded.evaluation("ann").orElseThrow().accuracy());
        for (String table : TABLES) {
            assertArrayEquals(Files.readAllBytes(trained.folder().resolve(table)),
                    Files.readAllBytes(loaded.folder().resolve(table)), table);
        }
    }

    @Test
    void aRunWhoseLoadedWeightsChangedAfterItsCalibrationIsNotResumedAndResumesOnceTheyAreBack() throws Exception {
        Path trainedDir = Files.createDirectories(dir.resolve("trained"));
        RunResult trained = ExperimentPipeline.builder(experiment(trainedDir)).clock(NEW_YEAR).build().run();
        assertEquals(RunStatus.FINISHED, trained.status(), () -> trained.error().orElse(""));
        Path weights = Files.copy(trained.folder().resolve("ann.safetensors"), dir.resolve("ann.safetensors"));

        Path stoppedDir = Files.createDirectories(dir.resolve("stopped"));
        ConvertExperiment experiment = experiment(stoppedDir, "weights=" + weights);
        AtomicBoolean stop = new AtomicBoolean();
        RunResult stopped = ExperimentPipeline.builder(experiment).clock(NEW_YEAR).listener(new RunListener() {
            @Override
            public void onConversionProgress(String model, ConversionStage stage, int done, int total, String item) {
                stop.set(stage == ConversionStage.CALIBRATION && done == total);
            }
        }).stopWhen(stop::get).build().run();
        assertEquals(RunStatus.INTERRUPTED, stopped.status());

        SafetensorsFile file = Safetensors.read(weights);
        Map<String, INDArray> changed = new LinkedHashMap<>(file.tensors());
        changed.put("fc.bias", changed.get("fc.bias").add(1));
        Safetensors.write(weights, changed, file.metadata());
        RunSetupException e = assertThrows(RunSetupException.class,
                () -> ExperimentPipeline.builder(experiment).resume(stopped.folder()).build().run());
        assertTrue(e.getMessage().contains("is not the ANN the run converted") && e.getMessage().contains("fc.bias"),
                e.getMessage());

        Safetensors.write(weights, file.tensors(), file.metadata());
        RunResult resumed = ExperimentPipeline.builder(experiment).resume(stopped.folder()).build().run();
        assertEquals(RunStatus.FINISHED, resumed.status(), () -> resumed.error().orElse(""));
        for (String table : TABLES) {
            assertArrayEquals(Files.readAllBytes(trained.folder().resolve(table)),
                    Files.readAllBytes(resumed.folder().resolve(table)), table);
        }
    }

    private static Path mlflowRun(Path store) throws Exception {
        try (Stream<Path> metas = Files.walk(store, 3)) {
            return metas.filter(p -> p.endsWith("meta.yaml") && p.getNameCount() - store.getNameCount() == 3)
                    .map(Path::getParent).findFirst().orElseThrow(() -> new AssertionError("no run in " + store));
        }
    }
}
