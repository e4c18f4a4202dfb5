package io.spikeforge.runner.pipeline;

import static io.spikeforge.runner.pipeline.ExperimentPipelineTest.withoutSeconds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.io.Safetensors;
import io.spikeforge.engine.io.SafetensorsFile;
import io.spikeforge.engine.train.StepResult;
import io.spikeforge.engine.train.TrainingCheckpoint;
import io.spikeforge.engine.train.TrainingStart;
import io.spikeforge.runner.config.ConfigError;
import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.config.DistillExperiment;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.testkit.SlowTest;
import io.spikeforge.tracking.RunLock;
import io.spikeforge.tracking.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints and {@code resume}: a run stopped anywhere and resumed from its folder ends with the
 * metrics, accuracies and weights of the same run uninterrupted.
 */
@SlowTest
class ResumeTest {
    private static final Clock NEW_YEAR = Clock.fixed(Instant.parse("2024-01-02T03:04:05Z"), ZoneOffset.UTC);
    /** Three epochs each and a schedule that changes every epoch, so that resuming at a wrong epoch shows. */
    private static final String[] SETTINGS = {"teacher.training.epochs=3", "training.epochs=3",
        "teacher.training.schedule.name=cosine", "training.schedule.name=cosine"};

    @TempDir
    static Path shared;

    private static RunResult uninterrupted;

    @TempDir
    Path dir;

    @BeforeAll
    static void runUninterrupted() throws Exception {
        uninterrupted = ExperimentPipeline.builder(TinyExperiments.load(shared, shared.resolve("synthetic"), SETTINGS))
                .clock(NEW_YEAR).build().run();
        assertEquals(RunStatus.FINISHED, uninterrupted.status(), () -> uninterrupted.error().orElse(""));
    }

    private DistillExperiment tiny(String... more) throws Exception {
        List<String> overrides = new ArrayList<>(List.of(SETTINGS));
        overrides.addAll(List.of(more));
        return TinyExperiments.load(dir, shared.resolve("synthetic"), overrides.toArray(String[]::new));
    }

    /** Runs until the given model's step {@code step} of epoch {@code epoch} (from 0) is done, then stops. */
    private RunResult runAndStopAt(Experiment experiment, String model, int epoch, int step) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        RunListener stopper = new RunListener() {
            @Override
            public void onStep(StepResult result) {
                if (result.model().equals(model) && result.epoch() == epoch && result.step() == step) {
                    stop.set(true);
                }
            }
        };
        RunResult stopped = ExperimentPipeline.builder(experiment).clock(NEW_YEAR).listener(stopper)
                .stopWhen(stop::get).build().run();
        assertEquals(RunStatus.INTERRUPTED, stopped.status(), () -> stopped.error().orElse(""));
        return stopped;
    }

    private static RunResult resume(Experiment experiment, Path folder, RunListener... listeners) throws Exception {
        ExperimentPipeline.Builder builder = ExperimentPipeline.builder(experiment).resume(folder);
        for (RunListener listener : listeners) {
            builder.listener(listener);
        }
        return builder.build().run();
    }

    private static void assertSameAsUninterrupted(RunResult resumed) throws Exception {
        assertEquals(RunStatus.FINISHED, resumed.status(), () -> resumed.error().orElse(""));
        assertEquals(withoutSeconds(uninterrupted.folder()), withoutSeconds(resumed.folder()));
        assertEquals(Files.readAllLines(uninterrupted.folder().resolve("firing_rates.csv")),
                Files.readAllLines(resumed.folder().resolve("firing_rates.csv")));
        // a model trained before the stop gets its energy report from its checkpoint
        assertEquals(Files.readAllLines(uninterrupted.folder().resolve("energy.csv")),
                Files.readAllLines(resumed.folder().resolve("energy.csv")));
        assertEquals(uninterrupted.evaluation("teacher"), resumed.evaluation("teacher"));
        assertEquals(uninterrupted.evaluation("student").orElseThrow().accuracy(), resumed.evaluation("student").orElseThrow().accuracy());
        assertEquals(uninterrupted.evaluation("student").orElseThrow().loss(), resumed.evaluation("student").orElseThrow().loss());
        for (String file : List.of("teacher.safetensors", "student.safetensors")) {
            assertArrayEquals(Files.readAllBytes(uninterrupted.folder().resolve(file)),
                    Files.readAllBytes(resumed.folder().resolve(file)), file);
        }
        for (String file : List.of("checkpoints/teacher-last.safetensors", "checkpoints/student-last.safetensors")) {
            // the same state; the metadata differ only in the hash of config.yaml, whose outputs.dir differs
            TrainingCheckpoint want = TrainingCheckpoint.read(uninterrupted.folder().resolve(file));
            TrainingCheckpoint got = TrainingCheckpoint.read(resumed.folder().resolve(file));
            assertEquals(want.modelTensors(), got.modelTensors(), file);
            assertEquals(want.momentumBuffers(), got.momentumBuffers(), file);
            Map<String, String> wantMetadata = new java.util.HashMap<>(want.metadata());
            Map<String, String> gotMetadata = new java.util.HashMap<>(got.metadata());
            wantMetadata.remove(Checkpoints.CONFIG_SHA256);
            gotMetadata.remove(Checkpoints.CONFIG_SHA256);
            assertEquals(wantMetadata, gotMetadata, file);
        }
        assertEquals("finished\n", Files.readString(resumed.folder().resolve("status")));
    }

    @Test
    void everyEpochLeavesALastAndABestCheckpointWithItsState() throws Exception {
        Path checkpoints = uninterrupted.folder().resolve("checkpoints");
        for (String model : List.of("teacher", "student")) {
            TrainingCheckpoint last = TrainingCheckpoint.read(checkpoints.resolve(model + "-last.safetensors"));
            assertEquals("3", last.metadata().get("epochs_completed"), model);
            assertEquals(model, last.metadata().get("model"));
            assertEquals(64, last.metadata().get("config_sha256").length());
            assertFalse(last.momentumBuffers().isEmpty(), "the optimizer's state is kept");
            TrainingCheckpoint best = TrainingCheckpoint.read(checkpoints.resolve(model + "-best.safetensors"));
            assertEquals(best.metadata().get("best_accuracy"), best.metadata().get("test_accuracy"), model);
            assertTrue(Double.parseDouble(best.metadata().get("best_accuracy"))
                    >= Double.parseDouble(last.metadata().get("test_accuracy")), model);
        }
        assertEquals(uninterrupted.evaluation("teacher").orElseThrow(), Checkpoints.evaluation(TrainingCheckpoint.read(
                checkpoints.resolve("student-last.safetensors")).metadata(), Checkpoints.TEACHER_TEST).orElseThrow());
        try (var files = Files.list(checkpoints)) {
            assertEquals(4, files.count(), "no temporary files are left");
        }
    }

    @Test
    void aRunFolderWhoseConfigTheFirstVersionWroteResumes() throws Exception {
        DistillExperiment resNet20s = TinyExperiments.load(dir, dir.resolve("data"), "teacher.model.depth=20",
                "student.model.depth=20");
        RunResult stopped = ExperimentPipeline.builder(resNet20s).clock(NEW_YEAR).stopWhen(() -> true).build().run();
        assertEquals(RunStatus.INTERRUPTED, stopped.status(), () -> stopped.error().orElse(""));
        // a folder as 0.1.0 left it when killed before its first checkpoint
        Path checkpoints = stopped.folder().resolve("checkpoints");
        if (Files.exists(checkpoints)) {
            try (var files = Files.list(checkpoints)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
        }
        TinyExperiments.configWrittenBy010(stopped.folder(), dir.resolve("data"), dir.resolve("runs"));

        DistillExperiment recorded = (DistillExperiment) TinyExperiments.loader(List.of()).load(stopped.folder().resolve("config.yaml"));
        RunResult resumed = resume(recorded, stopped.folder());

        assertEquals(RunStatus.FINISHED, resumed.status(), () -> resumed.error().orElse(""));
        assertTrue(Files.readString(stopped.folder().resolve("config.yaml")).contains("  decay: null\n"),
                "the run's own file is left as it was");
    }

    /**
     * The quickstart of 0.1.0 recorded {@code depth: 20} with {@code blocks_per_stage: [1, 1, 1]}
     * (a ResNet-8, which it trained); depth and blocks must now agree, and such a run folder could
     * no longer be resumed: its config.yaml was an invalid experiment, and a corrected one no longer
     * matched its checkpoints.
     */
    @Test
    void aRunFolderWhoseDepthDisagreesWithItsBlocksResumesWithTheModelItTrained() throws Exception {
        RunResult stopped = runAndStopAt(tiny(), "student", 1, 0);
        Path config = stopped.folder().resolve("config.yaml");
        String written = Files.readString(config);
        assertEquals(2, written.split("    depth: 8\n", -1).length - 1, written);
        Files.writeString(config, written.replace("    depth: 8\n", "    depth: 20\n"));
        sealCheckpoints(stopped.folder());

        List<ConfigError> warnings = new ArrayList<>();
        DistillExperiment recorded = (DistillExperiment) TinyExperiments.loader(List.of()).loadRecorded(config, warnings::add);
        RunResult resumed = resume(recorded, stopped.folder());

        assertSameAsUninterrupted(resumed);
        assertEquals(List.of("teacher.model.depth", "student.model.depth"),
                warnings.stream().map(ConfigError::keyPath).toList());
        assertEquals("is 20 with blocks_per_stage [1, 1, 1], as an earlier Spikeforge wrote it, which built those"
                + " blocks: read as depth 8, the model this run trained", warnings.get(0).message());
        assertEquals(written.replace("    depth: 8\n", "    depth: 20\n"), Files.readString(config),
                "the run's own file is left as it was");
        ConfigException asExperiment = assertThrows(ConfigException.class,
                () -> TinyExperiments.loader(List.of()).load(config));
        assertTrue(asExperiment.getMessage().contains("teacher.model.blocks_per_stage: [1, 1, 1] makes a ResNet-8"),
                "as an experiment file it is still refused: " + asExperiment.getMessage());
    }

    /** Records the hash of the folder's config.yaml in its checkpoints, as the run that wrote that file did. */
    private static void sealCheckpoints(Path folder) throws Exception {
        String sha256 = Checkpoints.sha256(folder.resolve("config.yaml"));
        try (var files = Files.list(folder.resolve("checkpoints"))) {
            for (Path file : files.toList()) {
                SafetensorsFile contents = Safetensors.read(file);
                Map<String, String> metadata = new java.util.HashMap<>(contents.metadata());
                metadata.put(Checkpoints.CONFIG_SHA256, sha256);
                Safetensors.write(file, contents.tensors(), metadata);
            }
        }
    }

    @Test
    void aRunStoppedInTheTeachersTrainingResumesFromItsLastCheckpoint() throws Exception {
        DistillExperiment experiment = tiny();
        RunResult stopped = runAndStopAt(experiment, "teacher", 1, 0);
        assertTrue(Files.exists(stopped.folder().resolve("checkpoints/teacher-last.safetensors")));

        List<TrainingStart> starts = new ArrayList<>();
        List<Optional<String>> resumedAt = new ArrayList<>();
        RunResult resumed = resume(experiment, stopped.folder(), new RunListener() {
            @Override
            public void onRunStart(RunInfo run) {
                resumedAt.add(run.resumedAt());
            }

            @Override
            public void onTrainingStart(TrainingStart start) {
                starts.add(start);
            }
        });

        assertSameAsUninterrupted(resumed);
        assertEquals(List.of(Optional.of("teacher after epoch 1 of 3")), resumedAt);
        assertEquals(1, starts.get(0).firstEpoch(), "the teacher goes on after its first epoch");
        assertEquals(0, starts.get(1).firstEpoch(), "the student starts from the beginning");
    }

    @Test
    void aRunStoppedInTheStudentsTrainingResumesWithoutRetrainingTheTeacher() throws Exception {
        DistillExperiment experiment = tiny();
        RunResult stopped = runAndStopAt(experiment, "student", 2, 0);

        List<String> trained = new ArrayList<>();
        RunResult resumed = resume(experiment, stopped.folder(), new RunListener() {
            @Override
            public void onTrainingStart(TrainingStart start) {
                trained.add(start.model() + " from " + start.firstEpoch());
            }
        });

        assertSameAsUninterrupted(resumed);
        assertEquals(List.of("student from 2"), trained);
    }

    @Test
    void rowsOfEpochsWithoutACheckpointAreDroppedAndRunAgain() throws Exception {
        // checkpoints every 2 epochs: stopped in epoch 2 (from 0), the row of epoch 1 has no checkpoint
        DistillExperiment experiment = tiny("outputs.checkpoint_every=2");
        RunResult stopped = runAndStopAt(experiment, "teacher", 1, 1);
        assertEquals(2, Files.readAllLines(stopped.folder().resolve("metrics.csv")).size(), "header, epoch 1");
        assertFalse(Files.exists(stopped.folder().resolve("checkpoints/teacher-last.safetensors")));
        assertTrue(Files.exists(stopped.folder().resolve("checkpoints/teacher-best.safetensors")),
                "the best epoch is kept whatever checkpoint_every says");

        RunResult resumed = resume(experiment, stopped.folder());

        assertEquals(RunStatus.FINISHED, resumed.status(), () -> resumed.error().orElse(""));
        assertEquals(withoutSeconds(uninterrupted.folder()), withoutSeconds(resumed.folder()));
        assertArrayEquals(Files.readAllBytes(uninterrupted.folder().resolve("student.safetensors")),
                Files.readAllBytes(resumed.folder().resolve("student.safetensors")));
    }

    @Test
    void aRunStoppedBeforeTheStudentsFirstCheckpointInitializesTheStudentAgain() throws Exception {
        DistillExperiment experiment = tiny();
        RunResult stopped = runAndStopAt(experiment, "student", 0, 0);
        Files.delete(stopped.folder().resolve("init-report.txt"));

        RunResult resumed = resume(experiment, stopped.folder());

        assertSameAsUninterrupted(resumed);
        assertTrue(Files.readString(resumed.folder().resolve("init-report.txt")).startsWith("initialization: "));
    }

    @Test
    void aFinishedRunADifferentExperimentAndAFolderInUseAreRefused() throws Exception {
        RunSetupException finished = assertThrows(RunSetupException.class,
                () -> resume(tiny(), uninterrupted.folder()));
        assertTrue(finished.getMessage().contains("the run finished already"), finished.getMessage());

        DistillExperiment experiment = tiny();
        RunResult stopped = runAndStopAt(experiment, "teacher", 1, 0);
        RunSetupException other = assertThrows(RunSetupException.class,
                () -> resume(tiny("experiment.seed=4"), stopped.folder()));
        assertTrue(other.getMessage().contains("the experiment differs from the run's config.yaml"),
                other.getMessage());

        RunLock held = RunLock.tryAcquire(stopped.folder()).orElseThrow();
        try {
            RunSetupException inUse = assertThrows(RunSetupException.class,
                    () -> resume(experiment, stopped.folder()));
            assertTrue(inUse.getMessage().contains("another process is running this run"), inUse.getMessage());
        } finally {
            held.close();
        }

        RunSetupException notARun = assertThrows(RunSetupException.class, () -> resume(experiment, dir));
        assertTrue(notARun.getMessage().contains("it has no config.yaml"), notARun.getMessage());
    }

    @Test
    void aDamagedMetricsFileIsNamedAndLeavesTheFolderResumableOnceRepaired() throws Exception {
        DistillExperiment experiment = tiny();
        RunResult stopped = runAndStopAt(experiment, "student", 1, 0);
        Path metrics = stopped.folder().resolve("metrics.csv");
        List<String> good = Files.readAllLines(metrics);
        Files.writeString(metrics, "epoch;loss\n");

        RunSetupException e = assertThrows(RunSetupException.class, () -> resume(experiment, stopped.folder()));
        assertTrue(e.getMessage().contains(metrics + ": line 1 is not the header"), e.getMessage());

        Files.write(metrics, good);
        assertSameAsUninterrupted(resume(experiment, stopped.folder()));
    }

    @Test
    void aRowTornByACrashIsDroppedAndWrittenAgain() throws Exception {
        DistillExperiment experiment = tiny();
        RunResult stopped = runAndStopAt(experiment, "student", 1, 0);
        Files.writeString(stopped.folder().resolve("metrics.csv"), "student,1",
                java.nio.file.StandardOpenOption.APPEND);

        assertSameAsUninterrupted(resume(experiment, stopped.folder()));
    }

    @Test
    void aRunWithALoadedTeacherResumesAndRefusesChangedTeacherWeights() throws Exception {
        Path weights = dir.resolve("teacher.safetensors");
        Files.copy(uninterrupted.folder().resolve("teacher.safetensors"), weights);
        DistillExperiment experiment = tiny("teacher.weights=" + weights);
        RunResult whole = ExperimentPipeline.builder(experiment).build().run();
        RunResult stopped = runAndStopAt(experiment, "student", 1, 0);

        RunResult resumed = resume(experiment, stopped.folder());
        assertEquals(RunStatus.FINISHED, resumed.status(), () -> resumed.error().orElse(""));
        assertEquals(withoutSeconds(whole.folder()), withoutSeconds(resumed.folder()));
        assertEquals(whole.evaluation("teacher"), resumed.evaluation("teacher"));

        RunResult again = runAndStopAt(experiment, "student", 1, 0);
        Files.copy(uninterrupted.folder().resolve("student.safetensors"), weights,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        RunSetupException changed = assertThrows(RunSetupException.class, () -> resume(experiment, again.folder()));
        assertTrue(changed.getMessage().contains("changed since the student's checkpoint was written"),
                changed.getMessage());
    }

    @Test
    void aStudentCheckpointWithoutTheTrainedTeachersIsRefused() throws Exception {
        DistillExperiment experiment = tiny();
        RunResult stopped = runAndStopAt(experiment, "student", 1, 0);
        Files.delete(stopped.folder().resolve("checkpoints/teacher-last.safetensors"));

        RunSetupException e = assertThrows(RunSetupException.class, () -> resume(experiment, stopped.folder()));
        assertTrue(e.getMessage().contains("no checkpoint of the trained teacher"), e.getMessage());
    }

    @Test
    void aCheckpointFromAnotherConfigurationIsRefused() throws Exception {
        DistillExperiment experiment = tiny();
        RunResult stopped = runAndStopAt(experiment, "student", 1, 0);
        Path foreign = uninterrupted.folder().resolve("checkpoints/teacher-last.safetensors");
        // same model, but written by a run of another configuration
        Files.copy(foreign, stopped.folder().resolve("checkpoints/teacher-last.safetensors"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        RunSetupException e = assertThrows(RunSetupException.class, () -> resume(experiment, stopped.folder()));
        assertTrue(e.getMessage().contains("was written for another configuration"), e.getMessage());
    }

    @Test
    void aCheckpointServesAsTeacherWeights() throws Exception {
        Path best = uninterrupted.folder().resolve("checkpoints/teacher-best.safetensors");
        RunResult loaded = ExperimentPipeline.builder(tiny("teacher.weights=" + best)).build().run();

        assertEquals(RunStatus.FINISHED, loaded.status(), () -> loaded.error().orElse(""));
        assertEquals(Double.parseDouble(Safetensors.read(best).metadata().get("best_accuracy")),
                loaded.evaluation("teacher").orElseThrow().accuracy());
    }
}
