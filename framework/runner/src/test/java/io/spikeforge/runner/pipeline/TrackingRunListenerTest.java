package io.spikeforge.runner.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.HostInfo;
import io.spikeforge.engine.train.EpochResult;
import io.spikeforge.engine.train.EvaluationResult;
import io.spikeforge.engine.train.StepResult;
import io.spikeforge.runner.config.ComponentSlot;
import io.spikeforge.runner.config.DistillExperiment;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.testkit.SlowTest;
import io.spikeforge.tracking.FakeMlflowServer;
import io.spikeforge.tracking.RunIdsFile;
import io.spikeforge.tracking.RunStatus;
import io.spikeforge.tracking.RunTracker;
import io.spikeforge.tracking.RunTrackers;
import io.spikeforge.tracking.TrackingOptions;
import io.spikeforge.tracking.TrackingOutcome;
import io.spikeforge.tracking.TrackingReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pipeline run logged to a local MLflow store through the listener, as `spikeforge run` does. */
@SlowTest
class TrackingRunListenerTest {
    @TempDir
    Path dir;

    @Test
    void aRunLandsInTheLocalStoreWithParamsMetricsArtifactsAndItsStatus() throws Exception {
        DistillExperiment experiment = TinyExperiments.load(dir, dir.resolve("synthetic"), "tracking.enabled=true");
        TrackingOptions options = TrackingRunListener.options(experiment.tracking(), Map.of(), dir);
        RunResult result;
        try (RunTracker tracker = RunTrackers.open(options)) {
            result = ExperimentPipeline.builder(experiment)
                    .listener(new TrackingRunListener(tracker, Optional.empty(), new HostInfo("test", "CPU"))).build()
                    .run();
        }
        assertEquals(RunStatus.FINISHED, result.status());

        Path store = dir.resolve("mlruns");
        Path runFolder;
        try (Stream<Path> metas = Files.walk(store, 3)) {
            runFolder = metas.filter(p -> p.endsWith("meta.yaml") && p.getNameCount() - store.getNameCount() == 3)
                    .map(Path::getParent).findFirst().orElseThrow(() -> new AssertionError("no run in " + store));
        }
        String meta = Files.readString(runFolder.resolve("meta.yaml"));
        assertTrue(meta.contains("status: 3"), meta);
        assertTrue(meta.contains("run_name: " + result.folder().getFileName()), meta);
        assertEquals(String.valueOf(experiment.training().epochs()),
                Files.readString(runFolder.resolve("params/training.epochs")));
        List<String> studentAccuracy = Files.readAllLines(runFolder.resolve("metrics/student.test_accuracy"));
        // epoch 0 (after initialization) and every training epoch
        assertEquals(experiment.training().epochs() + 1, studentAccuracy.size(), studentAccuracy.toString());
        assertTrue(studentAccuracy.get(0).matches("\\d+ [0-9.eE-]+ 0"), studentAccuracy.get(0));
        assertTrue(Files.isRegularFile(runFolder.resolve("metrics/student.step_loss")));
        List<String> synops = Files.readAllLines(runFolder.resolve("metrics/student.synops"));
        assertEquals(experiment.training().epochs() + 1, synops.size(), "with each evaluation: " + synops);
        String lastSynops = synops.get(synops.size() - 1);
        assertEquals(result.energy("student").orElseThrow().accumulates(),
                Double.parseDouble(lastSynops.split(" ")[1]), 1e-6 * Double.parseDouble(lastSynops.split(" ")[1]));
        for (String metric : List.of("student.energy_mj", "student.macs", "teacher.energy_mj", "teacher.macs",
                "teacher.synops")) {
            assertTrue(Files.isRegularFile(runFolder.resolve("metrics").resolve(metric)), metric);
        }
        // each component's provenance, in the run folder's config.yaml and in MLflow's params
        String config = Files.readString(result.folder().resolve("config.yaml"));
        Map<String, ComponentSlot> slots = Map.of("neuron", experiment.neuron(), "surrogate", experiment.surrogate(),
                "initialization", experiment.initialization().orElseThrow(),
                "distillation", experiment.distillation().orElseThrow());
        slots.forEach((slot, component) -> {
            String plugin = component.component().pluginId();
            String version = component.component().pluginVersion();
            assertTrue(config.matches("(?s).*\n" + slot + ":\n  id: " + Pattern.quote(component.id()) + "\n  plugin: "
                    + Pattern.quote(plugin) + "\n  plugin_version: \"?" + Pattern.quote(version) + "\"?\n.*"),
                    slot + " in config.yaml:\n" + config);
            try {
                assertEquals(plugin, Files.readString(runFolder.resolve("params/" + slot + ".plugin")), slot);
                assertEquals(version, Files.readString(runFolder.resolve("params/" + slot + ".plugin_version")), slot);
            } catch (java.io.IOException e) {
                throw new AssertionError(slot + ": no provenance param in " + runFolder, e);
            }
        });
        assertTrue(Files.isRegularFile(runFolder.resolve("tags/mlflow.source.type")) || Files.isDirectory(
                runFolder.resolve("tags")));
        for (String artifact : List.of("config.yaml", "metrics.csv", "energy.csv", "accuracy.png", "student.safetensors",
                "checkpoints/student-last.safetensors", "checkpoints/teacher-last.safetensors")) {
            assertEquals(Files.size(result.folder().resolve(artifact)),
                    Files.size(runFolder.resolve("artifacts").resolve(artifact)), artifact);
        }
    }

    @Test
    void aResumedRunIsANewMlflowRunTaggedWithWhereItContinued() throws Exception {
        DistillExperiment experiment = TinyExperiments.load(dir, dir.resolve("synthetic"), "tracking.enabled=true");
        TrackingOptions options = TrackingRunListener.options(experiment.tracking(), Map.of(), dir);
        RunResult stopped;
        RunResult resumed;
        try (RunTracker tracker = RunTrackers.open(options)) {
            stopped = runStoppedInTheStudentsFirstEpoch(experiment, tracker);
            resumed = ExperimentPipeline.builder(experiment).resume(stopped.folder())
                    .listener(new TrackingRunListener(tracker, Optional.empty(), new HostInfo("test", "CPU")))
                    .build().run();
        }
        assertEquals(RunStatus.INTERRUPTED, stopped.status());
        assertEquals(RunStatus.FINISHED, resumed.status(), () -> resumed.error().orElse(""));

        Path store = dir.resolve("mlruns");
        List<Path> runs;
        try (Stream<Path> metas = Files.walk(store, 3)) {
            runs = metas.filter(p -> p.endsWith("meta.yaml") && p.getNameCount() - store.getNameCount() == 3)
                    .map(Path::getParent).toList();
        }
        assertEquals(2, runs.size(), runs.toString());
        Path second = runs.stream().filter(r -> Files.exists(r.resolve("tags/spikeforge.resumed_at"))).findFirst()
                .orElseThrow(() -> new AssertionError("no run has the tag spikeforge.resumed_at: " + runs));
        assertEquals("student after epoch 1 of 2", Files.readString(second.resolve("tags/spikeforge.resumed_at")));
        assertTrue(Files.readString(second.resolve("meta.yaml")).contains("status: 3"), "FINISHED");
        Path first = runs.stream().filter(r -> !r.equals(second)).findFirst().orElseThrow();
        assertEquals(first.getFileName().toString(), Files.readString(second.resolve("tags/spikeforge.resumed_from")));
        assertEquals(List.of(first.getFileName().toString(), second.getFileName().toString()),
                RunIdsFile.read(stopped.folder()).stream().map(RunIdsFile.Entry::runId).toList());
        assertEquals(List.of(Optional.of(store), Optional.of(store)),
                RunIdsFile.read(stopped.folder()).stream().map(RunIdsFile.Entry::store).toList());
        assertTrue(Files.readString(first.resolve("meta.yaml")).contains("status: 5"), "the stopped run is KILLED");
        assertEquals(Files.readString(first.resolve("tags/spikeforge.run_folder")),
                Files.readString(second.resolve("tags/spikeforge.run_folder")));
        assertEquals(List.of(2L), Files.readAllLines(second.resolve("metrics/student.test_accuracy")).stream()
                .map(line -> Long.parseLong(line.split(" ")[2])).toList(), "the resumed run logs the epoch it trains");
    }

    @Test
    void aResumedRunOnAServerRefersToTheServersRunAndTheFolderListsTheServersIdsAndTheSpools() throws Exception {
        try (FakeMlflowServer server = FakeMlflowServer.start()) {
            DistillExperiment experiment = TinyExperiments.load(dir, dir.resolve("synthetic"), "tracking.enabled=true",
                    "tracking.uri=" + server.uri());
            TrackingOptions options = TrackingRunListener.options(experiment.tracking(), Map.of(), dir);
            RunResult stopped;
            try (RunTracker tracker = RunTrackers.open(options)) {
                stopped = runStoppedInTheStudentsFirstEpoch(experiment, tracker);
            }
            RunResult resumed;
            try (RunTracker tracker = RunTrackers.open(options)) {
                resumed = ExperimentPipeline.builder(experiment).resume(stopped.folder())
                        .listener(new TrackingRunListener(tracker, Optional.empty(), new HostInfo("test", "CPU")))
                        .build().run();
            }
            assertEquals(RunStatus.FINISHED, resumed.status(), () -> resumed.error().orElse(""));

            List<FakeMlflowServer.Run> runs = server.runs();
            assertEquals(2, runs.size());
            FakeMlflowServer.Run first = runs.get(0);
            FakeMlflowServer.Run second = runs.get(1);
            assertEquals("KILLED", first.status());
            assertEquals(first.id(), second.tags().get("spikeforge.resumed_from"),
                    "the tag names the server's run, not the spool's");
            String ids = Files.readString(stopped.folder().resolve("mlflow_run_ids"));
            for (FakeMlflowServer.Run run : runs) {
                assertTrue(ids.contains("server_run_id=" + run.id()), ids);
                assertTrue(ids.contains("spool_run_id=" + run.tags().get("spikeforge.spool_run_id")), ids);
            }
        }
    }

    @Test
    void aStoreThatFailsWritesAtTheEndKeepsTheRunsStatusAndSaysWhatIsMissingAndHowToAddIt() throws Exception {
        DistillExperiment experiment = TinyExperiments.load(dir, dir.resolve("synthetic"), "tracking.enabled=true");
        TrackingOptions options = TrackingRunListener.options(experiment.tracking(), Map.of(), dir);
        Path store = dir.resolve("mlruns");
        // the store fails every artifact write once the run is over: its artifacts folder is no folder
        RunListener failingStore = new RunListener() {
            @Override
            public void onRunEnd(RunResult result) {
                try {
                    Path artifacts = onlyStoreRun(store).resolve("artifacts");
                    try (Stream<Path> files = Files.walk(artifacts)) {
                        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                    Files.writeString(artifacts, "not a folder");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        };
        RunResult result;
        TrackingRunListener tracking;
        try (RunTracker tracker = RunTrackers.open(options)) {
            tracking = new TrackingRunListener(tracker, Optional.empty(), new HostInfo("test", "CPU"));
            result = ExperimentPipeline.builder(experiment).listener(failingStore).listener(tracking).build().run();
        }
        assertEquals(RunStatus.FINISHED, result.status());

        Path runFolder = onlyStoreRun(store);
        assertTrue(Files.readString(runFolder.resolve("meta.yaml")).contains("status: 3"),
                "the MLflow run is FINISHED, as the run is, not KILLED");
        TrackingReport report = tracking.report();
        assertEquals(TrackingOutcome.STORE_INCOMPLETE, report.outcome());
        String problem = String.join("\n", report.problems());
        for (String missing : List.of("teacher.safetensors", "student.safetensors",
                "checkpoints/student-last.safetensors", "metrics.csv")) {
            assertTrue(problem.contains(missing), problem);
        }
        assertTrue(problem.contains("spikeforge mlflow log-artifacts " + result.folder()), problem);

        // once the store takes writes again, the command's mechanism adds what is missing
        Files.delete(runFolder.resolve("artifacts"));
        List<RunIdsFile.Entry> runs = RunIdsFile.read(result.folder());
        List<String> added = RunTrackers.addArtifacts(runs.get(runs.size() - 1),
                TrackingRunListener.artifactFiles(result.folder()));
        assertTrue(added.contains("checkpoints/teacher-last.safetensors"), added.toString());
        for (String artifact : List.of("config.yaml", "metrics.csv", "student.safetensors",
                "checkpoints/student-last.safetensors")) {
            assertEquals(Files.size(result.folder().resolve(artifact)),
                    Files.size(runFolder.resolve("artifacts").resolve(artifact)), artifact);
        }
        assertEquals(List.of(), RunTrackers.addArtifacts(runs.get(runs.size() - 1),
                TrackingRunListener.artifactFiles(result.folder())), "nothing twice");
    }

    @Test
    void epochSecondsMeansTheSameInMlflowAndInTheMetricsFile() throws Exception {
        DistillExperiment experiment = TinyExperiments.load(dir, dir.resolve("synthetic"), "tracking.enabled=true");
        TrackingOptions options = TrackingRunListener.options(experiment.tracking(), Map.of(), dir);
        Path folder = Files.createDirectories(dir.resolve("runs/by-hand"));
        MetricsCsv csv = MetricsCsv.create(folder.resolve("metrics.csv"));
        EpochResult epoch = new EpochResult("student", 0, 0.1, 1.5, Map.of(), 0.25,
                new EvaluationResult(0.5, 1.25, Map.of(), 32), Duration.ofMillis(2000), Duration.ofMillis(750));
        try (RunTracker tracker = RunTrackers.open(options)) {
            TrackingRunListener listener = new TrackingRunListener(tracker, Optional.empty(),
                    new HostInfo("test", "CPU"));
            listener.onRunStart(new RunInfo(experiment, folder, 10, 64, 32));
            listener.onEpoch(epoch);
            csv.onEpoch(epoch);
            listener.onRunEnd(new RunResult(folder, RunStatus.FINISHED, List.of(), Map.of(),
                    Optional.empty(), Optional.empty()));
        }
        List<String> csvLines = Files.readAllLines(folder.resolve("metrics.csv"));
        List<String> header = List.of(csvLines.get(0).split(","));
        String csvSeconds = csvLines.get(1).split(",")[header.indexOf("epoch_seconds")];

        Path runFolder = onlyStoreRun(dir.resolve("mlruns"));
        String[] mlflowPoint = Files.readString(runFolder.resolve("metrics/student.epoch_seconds")).strip().split(" ");
        assertEquals(2.75, Double.parseDouble(csvSeconds), 1e-9, "metrics.csv: training and evaluation");
        assertEquals(2.75, Double.parseDouble(mlflowPoint[1]), 1e-9, "MLflow: the same as metrics.csv");
        String[] training = Files.readString(runFolder.resolve("metrics/student.train_seconds")).strip().split(" ");
        assertEquals(2.0, Double.parseDouble(training[1]), 1e-9, "the training part has a name of its own");
    }

    private static Path onlyStoreRun(Path store) throws Exception {
        try (Stream<Path> metas = Files.walk(store, 3)) {
            List<Path> runs = metas.filter(p -> p.endsWith("meta.yaml") && p.getNameCount() - store.getNameCount() == 3)
                    .map(Path::getParent).toList();
            assertEquals(1, runs.size(), runs.toString());
            return runs.get(0);
        }
    }

    /** Runs the experiment, tracked, and stops it at the student's first training step. */
    private static RunResult runStoppedInTheStudentsFirstEpoch(Experiment experiment, RunTracker tracker)
            throws RunSetupException {
        AtomicBoolean stop = new AtomicBoolean();
        return ExperimentPipeline.builder(experiment)
                .listener(new TrackingRunListener(tracker, Optional.empty(), new HostInfo("test", "CPU")))
                .listener(new RunListener() {
                    @Override
                    public void onStep(StepResult step) {
                        stop.set(step.model().equals("student") && step.epoch() == 1);
                    }
                }).stopWhen(stop::get).build().run();
    }
}
