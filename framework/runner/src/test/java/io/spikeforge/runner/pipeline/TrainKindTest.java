package io.spikeforge.runner.pipeline;

import static io.spikeforge.runner.pipeline.ExperimentPipelineTest.withoutSeconds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.HostInfo;
import io.spikeforge.engine.io.Safetensors;
import io.spikeforge.engine.io.SafetensorsFile;
import io.spikeforge.engine.train.StepResult;
import io.spikeforge.engine.train.TrainingCheckpoint;
import io.spikeforge.plugins.lif.PlifNeuronProvider;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.config.TrainExperiment;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kind {@code train}: one model trained directly, a spiking ResNet, an ANN VGG-11 and an ANN
 * ResNet with the qcfs activation, with its checkpoints, {@code --resume} to the numbers of an uninterrupted run, and MLflow tracking.
 */
@SlowTest
class TrainKindTest {
    private static final Clock NEW_YEAR = Clock.fixed(Instant.parse("2024-01-02T03:04:05Z"), ZoneOffset.UTC);
    private static final String SPIKING_RESNET = "{architecture: spiking-resnet, depth: 8, widths: [4, 8, 8],"
            + " timesteps: 2}";
    private static final String VGG11 = "{architecture: vgg, depth: 11}";

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private TrainExperiment experiment(Path folder, String model, String... overrides) throws Exception {
        // plif is installed beside the bundled components the tiny experiments know
        return TinyExperiments.loadTrain(folder, shared.resolve("synthetic"), List.of(new PlifNeuronProvider()), model,
                overrides);
    }

    @Test
    void aSpikingResNetTrainsWithCheckpointsAndLandsInMlflow() throws Exception {
        TrainExperiment experiment = experiment(dir, SPIKING_RESNET, "tracking.enabled=true");
        TrackingOptions options = TrackingRunListener.options(experiment.tracking(), Map.of(), dir);
        RunResult result;
        try (RunTracker tracker = RunTrackers.open(options)) {
            result = ExperimentPipeline.builder(experiment).clock(NEW_YEAR)
                    .listener(new TrackingRunListener(tracker, Optional.empty(), new HostInfo("test", "CPU"))).build()
                    .run();
        }
        assertEquals(RunStatus.FINISHED, result.status(), () -> result.error().orElse(""));
        assertEquals(List.of("model"), result.models());
        assertTrue(result.evaluation("model").isPresent());
        Path folder = result.folder();
        for (String file : List.of("config.yaml", "model.safetensors", "checkpoints/model-last.safetensors",
                "checkpoints/model-best.safetensors", "loss.png", "accuracy.png")) {
            assertTrue(Files.isRegularFile(folder.resolve(file)), file);
        }
        assertTrue(Files.readString(folder.resolve("config.yaml")).startsWith("kind: train\n"));
        List<String> metrics = Files.readAllLines(folder.resolve("metrics.csv"));
        assertEquals(1 + 2, metrics.size(), "a header and the two epochs: " + metrics);
        assertTrue(metrics.stream().skip(1).allMatch(row -> row.startsWith("model,")), metrics.toString());
        assertTrue(Files.readAllLines(folder.resolve("firing_rates.csv")).stream().skip(1)
                .anyMatch(row -> row.startsWith("model,2,")), "the spiking model's firing rates");
        assertEquals("2", TrainingCheckpoint.read(folder.resolve("checkpoints/model-last.safetensors")).metadata()
                .get(Checkpoints.EPOCHS_COMPLETED));

        Path store = dir.resolve("mlruns");
        Path run;
        try (Stream<Path> metas = Files.walk(store, 3)) {
            run = metas.filter(p -> p.endsWith("meta.yaml") && p.getNameCount() - store.getNameCount() == 3)
                    .map(Path::getParent).findFirst().orElseThrow(() -> new AssertionError("no run in " + store));
        }
        assertTrue(Files.readString(run.resolve("meta.yaml")).contains("status: 3"));
        assertEquals("train", Files.readString(run.resolve("params/kind")));
        assertEquals("spiking-resnet", Files.readString(run.resolve("params/model.architecture")));
        assertEquals(2, Files.readAllLines(run.resolve("metrics/model.test_accuracy")).size());
        assertTrue(Files.isRegularFile(run.resolve("metrics/model.step_loss")));
        for (String artifact : List.of("config.yaml", "metrics.csv", "model.safetensors",
                "checkpoints/model-last.safetensors")) {
            assertEquals(Files.size(folder.resolve(artifact)), Files.size(run.resolve("artifacts").resolve(artifact)),
                    artifact);
        }
    }

    @Test
    void aSpikingResNetResumesToTheNumbersOfAnUninterruptedRun() throws Exception {
        assertResumesToTheUninterruptedNumbers(SPIKING_RESNET);
    }

    @Test
    void anAnnVgg11TrainsAndResumesToTheNumbersOfAnUninterruptedRun() throws Exception {
        RunResult whole = assertResumesToTheUninterruptedNumbers(VGG11);
        assertEquals("vgg11", TrainingCheckpoint.read(whole.folder().resolve("checkpoints/model-last.safetensors"))
                .metadata().get("architecture"));
    }

    @Test
    void anAnnWithQcfsTrainsItsThresholdsKeepsThemInItsWeightsAndResumes() throws Exception {
        RunResult whole = assertResumesToTheUninterruptedNumbers(
                "{architecture: resnet, depth: 8, widths: [4, 8, 8], activation: {id: qcfs, levels: 4}}");
        Path folder = whole.folder();
        SafetensorsFile weights = Safetensors.read(folder.resolve("model.safetensors"));
        List<String> thresholds = weights.tensors().keySet().stream().filter(n -> n.endsWith(".threshold")).toList();
        assertEquals(List.of("act1.threshold", "layer1.0.act1.threshold", "layer1.0.act2.threshold",
                "layer2.0.act1.threshold", "layer2.0.act2.threshold", "layer3.0.act1.threshold",
                "layer3.0.act2.threshold"), thresholds);
        for (String name : thresholds) {
            double lambda = weights.tensors().get(name).getDouble(0);
            assertTrue(lambda > 0 && lambda != 8.0, name + " trained from 8 to " + lambda);
        }
        String config = Files.readString(folder.resolve("config.yaml"));
        assertTrue(config.contains("  activation:\n    id: qcfs\n    plugin: bundled\n"), config);
        assertTrue(config.contains("    levels: 4\n    threshold: 8.0\n"), config);
    }

    @Test
    void aSpikingResNetOfPlifNeuronsLearnsItsTimeConstantsKeepsThemInItsWeightsAndResumes() throws Exception {
        RunResult whole = assertResumesToTheUninterruptedNumbers(SPIKING_RESNET, "neuron={id: plif}");
        SafetensorsFile weights = Safetensors.read(whole.folder().resolve("model.safetensors"));
        List<String> leaks = weights.tensors().keySet().stream().filter(n -> n.endsWith(".w")).sorted().toList();
        assertEquals(List.of("layer1.0.sn1.w", "layer1.0.sn2.w", "layer2.0.sn1.w", "layer2.0.sn2.w",
                "layer3.0.sn1.w", "layer3.0.sn2.w", "sn1.w"), leaks);
        for (String name : leaks) {
            // init_tau 2 starts w at -ln(2 - 1) = 0
            double w = weights.tensors().get(name).getDouble(0);
            assertTrue(Double.isFinite(w) && w != 0.0, name + " trained from 0 to " + w);
        }
        TrainingCheckpoint last = TrainingCheckpoint.read(whole.folder().resolve("checkpoints/model-last.safetensors"));
        for (String name : leaks) {
            assertEquals(weights.tensors().get(name), last.modelTensors().get(name), name + " in the checkpoint");
            assertTrue(last.momentumBuffers().keySet().stream().anyMatch(k -> k.endsWith(name)),
                    "the checkpoint keeps the momentum of " + name + ": " + last.momentumBuffers().keySet());
        }
        String config = Files.readString(whole.folder().resolve("config.yaml"));
        assertTrue(config.contains("neuron:\n  id: plif\n"), config);
        assertTrue(config.contains("  init_tau: 2.0\n"), config);
    }

    @Test
    void initializingAVggFromAVggSaysWhatTheStrategySupports() throws Exception {
        Experiment experiment = TinyExperiments.load(dir, shared.resolve("synthetic"),
                "teacher.model={architecture: vgg, depth: 11}",
                "student.model={architecture: spiking-vgg, depth: 11, timesteps: 2, pooling: average}");
        RunSetupException e = assertThrows(RunSetupException.class,
                () -> ExperimentPipeline.builder(experiment).build().run());
        assertTrue(e.getMessage().startsWith("initialization: loop-interpolation cannot map the teacher"),
                e.getMessage());
        assertTrue(e.getMessage().contains("ResNet"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("runs")) || isEmpty(dir.resolve("runs")), "nothing written");
    }

    private static boolean isEmpty(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.findAny().isEmpty();
        }
    }

    /** Runs uninterrupted, then stopped in the second epoch and resumed; both end the same. */
    private RunResult assertResumesToTheUninterruptedNumbers(String model, String... overrides) throws Exception {
        Path wholeDir = Files.createDirectories(dir.resolve("whole"));
        Path stoppedDir = Files.createDirectories(dir.resolve("stopped"));
        RunResult whole = ExperimentPipeline.builder(experiment(wholeDir, model, overrides)).clock(NEW_YEAR).build().run();
        assertEquals(RunStatus.FINISHED, whole.status(), () -> whole.error().orElse(""));

        TrainExperiment experiment = experiment(stoppedDir, model, overrides);
        AtomicBoolean stop = new AtomicBoolean();
        RunResult stopped = ExperimentPipeline.builder(experiment).clock(NEW_YEAR).listener(new RunListener() {
            @Override
            public void onStep(StepResult step) {
                if (step.epoch() == 1 && step.step() == 0) {
                    stop.set(true);
                }
            }
        }).stopWhen(stop::get).build().run();
        assertEquals(RunStatus.INTERRUPTED, stopped.status(), () -> stopped.error().orElse(""));

        List<String> resumedAt = new java.util.ArrayList<>();
        RunResult resumed = ExperimentPipeline.builder(experiment).resume(stopped.folder()).listener(new RunListener() {
            @Override
            public void onRunStart(RunInfo run) {
                resumedAt.add(run.resumedAt().orElse(""));
            }
        }).build().run();
        assertEquals(RunStatus.FINISHED, resumed.status(), () -> resumed.error().orElse(""));
        assertEquals(List.of("model after epoch 1 of 2"), resumedAt);
        assertEquals(withoutSeconds(whole.folder()), withoutSeconds(resumed.folder()));
        assertEquals(whole.evaluation("model").orElseThrow().accuracy(),
                resumed.evaluation("model").orElseThrow().accuracy());
        assertEquals(whole.evaluation("model").orElseThrow().loss(), resumed.evaluation("model").orElseThrow().loss());
        assertArrayEquals(Files.readAllBytes(whole.folder().resolve("model.safetensors")),
                Files.readAllBytes(resumed.folder().resolve("model.safetensors")));
        return whole;
    }
}
