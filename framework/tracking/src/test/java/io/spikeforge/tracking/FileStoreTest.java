package io.spikeforge.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local store: experiments by name, immutable params, append-only metrics, safe concurrent writers. */
class FileStoreTest {
    @TempDir
    Path dir;

    @Test
    void experimentsAreFoundByNameOrCreatedOnce() throws IOException {
        FileStore store = new FileStore(dir.resolve("mlruns"), TestStores.FIXED_CLOCK, IdSource.random());

        String first = store.experimentId("cifar10");
        assertEquals(first, store.experimentId("cifar10"));
        assertTrue(!first.equals(store.experimentId("imagenet")));
        assertEquals("Default", store.experiment(FileStore.DEFAULT_EXPERIMENT_ID).orElseThrow().name());
        assertTrue(Files.isDirectory(store.root().resolve(".trash")));
        assertTrue(first.matches("[1-9][0-9]*"), first);
    }

    @Test
    void nameOfDeletedExperimentIsRefused() throws IOException {
        FileStore store = new FileStore(dir.resolve("mlruns"), TestStores.FIXED_CLOCK, IdSource.random());
        String id = store.experimentId("old");
        // what `mlflow experiments delete` does: mark it deleted and move it to .trash
        Path trashed = Files.move(store.root().resolve(id), store.root().resolve(".trash").resolve(id));
        Files.writeString(trashed.resolve("meta.yaml"),
                Files.readString(trashed.resolve("meta.yaml")).replace("active", "deleted"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.experimentId("old"));
        assertTrue(e.getMessage().contains("deleted state"), e.getMessage());
        assertTrue(e.getMessage().endsWith("Restore it (mlflow experiments restore), or log to another experiment"
                + " name (tracking.experiment)."), "no hint proposes to destroy data: " + e.getMessage());
    }

    @Test
    void paramsCannotChange() {
        try (RunTracker tracker = RunTrackers.open(TestStores.options(dir))) {
            TrackedRun run = tracker.startRun("e", "r", Optional.empty());
            run.logParams(Map.of("lr", "0.1"));
            run.logParams(Map.of("lr", "0.1"));

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> run.logParams(Map.of("lr", "0.2")));
            assertTrue(e.getMessage().startsWith("Changing param values is not allowed. Param with key='lr'"),
                    e.getMessage());
        }
    }

    @Test
    void invalidRecordsAreRefusedBeforeAnythingIsWritten() throws IOException {
        try (RunTracker tracker = RunTrackers.open(TestStores.options(dir))) {
            TrackedRun run = tracker.startRun("e", "r", Optional.empty());
            assertThrows(IllegalArgumentException.class, () -> run.logMetric("../escape", 1, 0));
            assertThrows(IllegalArgumentException.class, () -> run.logParams(Map.of("ok", "1", "bad:key", "2")));
            assertThrows(IllegalArgumentException.class, () -> run.setTags(Map.of("t", "v".repeat(5001))));
            assertThrows(IllegalArgumentException.class, () -> run.logArtifact(dir, "../out"));
            assertThrows(IllegalArgumentException.class,
                    () -> tracker.startRun("e", "child", Optional.of("not a run id!")));
            MlflowRunFolder folder = new FileStore(dir.resolve("mlruns"), TestStores.FIXED_CLOCK, IdSource.random())
                    .run(run.runId()).orElseThrow();
            assertEquals(Map.of(), folder.params());
        }
    }

    @Test
    void metricFilesAreOnlyAppendedTo() throws IOException {
        try (RunTracker tracker = RunTrackers.open(TestStores.fixed(dir, "a".repeat(32)))) {
            TrackedRun run = tracker.startRun("e", "r", Optional.empty());
            run.logMetric("loss", 1.0, 0);
            run.flush();
            Path file = dir.resolve("mlruns/1/" + "a".repeat(32) + "/metrics/loss");
            byte[] before = Files.readAllBytes(file);
            for (int step = 1; step <= 2 * StoreRun.BUFFER_LIMIT; step++) {
                run.logMetric("loss", 1.0 / step, step);
            }
            run.end(RunStatus.FINISHED, Optional.empty());

            byte[] after = Files.readAllBytes(file);
            assertEquals(new String(before, StandardCharsets.UTF_8),
                    new String(after, 0, before.length, StandardCharsets.UTF_8));
            List<String> lines = Files.readAllLines(file);
            assertEquals(2 * StoreRun.BUFFER_LIMIT + 1, lines.size());
            for (int step = 0; step < lines.size(); step++) {
                assertEquals(step, MetricPoint.parse("loss", lines.get(step)).step());
            }
        }
    }

    @Test
    void runThatCrashesLeavesItsStoreReadable() throws IOException {
        RunTracker tracker = RunTrackers.open(TestStores.options(dir));
        TrackedRun run = tracker.startRun("e", "crashing", Optional.empty());
        run.logParams(Map.of("lr", "0.1"));
        run.logMetric("loss", 0.5, 0);
        run.flush();
        MlflowRunFolder folder = new FileStore(dir.resolve("mlruns"), TestStores.FIXED_CLOCK, IdSource.random())
                .run(run.runId()).orElseThrow();
        // the process dies in the middle of writing a line
        Files.writeString(folder.dir().resolve("metrics/loss"), "1700000000000 0.2", StandardOpenOption.APPEND);

        assertEquals(RunStatus.RUNNING, folder.meta().status());
        assertEquals(Map.of("lr", "0.1"), folder.params());
        MlflowRunFolder.MetricChunk chunk = folder.readMetric("loss", 0);
        assertEquals(List.of(0.5), chunk.lines().stream().map(line -> line.point().value()).toList());
        tracker.close();
        assertEquals(RunStatus.INTERRUPTED, folder.meta().status(), "closing the tracker ends open runs as KILLED");
    }

    @Test
    void endRecordsStatusAndErrorOnce() throws IOException {
        try (RunTracker tracker = RunTrackers.open(TestStores.options(dir))) {
            TrackedRun failed = tracker.startRun("e", "failing", Optional.empty());
            failed.end(RunStatus.FAILED, Optional.of(new IllegalStateException("loss is NaN")));
            failed.end(RunStatus.FINISHED, Optional.empty());
            assertThrows(IllegalStateException.class, () -> failed.logMetric("loss", 1, 0));
            TrackedRun unended = tracker.startRun("e", "unended", Optional.empty());
            unended.close();

            FileStore store = new FileStore(dir.resolve("mlruns"), TestStores.FIXED_CLOCK, IdSource.random());
            MlflowRunFolder folder = store.run(failed.runId()).orElseThrow();
            assertEquals(RunStatus.FAILED, folder.meta().status());
            assertTrue(folder.meta().endTime().isPresent());
            Map<String, String> tags = folder.tags();
            assertTrue(tags.get(RunTags.ERROR).startsWith("java.lang.IllegalStateException: loss is NaN\n\tat "),
                    tags.get(RunTags.ERROR));
            assertTrue(tags.get(RunTags.NOTE).contains("loss is NaN"));
            assertEquals(RunStatus.FAILED, store.run(unended.runId()).orElseThrow().meta().status());
        }
    }

    @Test
    void aRunLeftRunningOutlivesTheTrackerAndIsEndedAndReopenedInItsStore() throws IOException {
        Path sweepFolder = Files.createDirectories(dir.resolve("sweep"));
        String runId;
        try (RunTracker tracker = RunTrackers.open(TestStores.options(dir))) {
            TrackedRun parent = tracker.startRun("e", "sweep", Optional.empty(),
                    Map.of(RunTags.RUN_FOLDER, sweepFolder.toString()));
            runId = parent.runId();
            parent.logMetric("arms", 2, 0);
            tracker.leaveRunning(parent);
            tracker.finish();
        }
        FileStore store = new FileStore(dir.resolve("mlruns"), TestStores.FIXED_CLOCK, IdSource.random());
        MlflowRunFolder folder = store.run(runId).orElseThrow();
        assertEquals(RunStatus.RUNNING, folder.meta().status(), "finish() leaves it running");
        assertTrue(Files.readString(folder.dir().resolve("metrics/arms")).endsWith(" 2.0 0\n"));

        RunIdsFile.Entry listed = RunIdsFile.read(sweepFolder).get(0);
        assertEquals(RunStatus.RUNNING, RunTrackers.setRecordedRunStatus(listed, RunStatus.FAILED));
        assertEquals(RunStatus.FAILED, folder.meta().status());
        assertTrue(folder.meta().endTime().isPresent());
        assertEquals(RunStatus.FAILED, RunTrackers.setRecordedRunStatus(listed, RunStatus.RUNNING));
        assertEquals(RunStatus.RUNNING, folder.meta().status());
        assertTrue(folder.meta().endTime().isEmpty(), "reopened: no end time");
        RunTrackers.setRecordedRunStatus(listed, RunStatus.FINISHED);
        assertEquals(RunStatus.FINISHED, folder.meta().status());
    }

    @Test
    void concurrentWritersInOneProcessShareTheExperiment() throws Exception {
        int writers = 4;
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<String>> runIds = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                Callable<String> writer = () -> {
                    try (RunTracker tracker = RunTrackers.open(TestStores.options(dir))) {
                        start.await();
                        TrackedRun run = tracker.startRun("shared", "writer", Optional.empty());
                        for (int step = 0; step < 300; step++) {
                            run.logMetric("loss", step, step);
                            if (step % 50 == 0) {
                                run.flush();
                            }
                        }
                        run.end(RunStatus.FINISHED, Optional.empty());
                        return run.runId();
                    }
                };
                runIds.add(pool.submit(writer));
            }
            for (Future<String> id : runIds) {
                assertTrue(id.get().matches("[0-9a-f]{32}"));
            }
            assertSharedExperiment(dir.resolve("mlruns"), writers, 300);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Tag("slow") // the test kit's @SlowTest, without a dependency on the test kit
    void concurrentWritersInTwoProcessesShareTheExperiment() throws Exception {
        Path go = dir.resolve("go");
        List<Process> processes = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            processes.add(StoreWriterProcess.start(dir, go, "writer-" + p, 300));
        }
        for (int p = 0; p < 2; p++) {
            StoreWriterProcess.awaitReady(dir, "writer-" + p);
        }
        Files.createFile(go);
        for (Process process : processes) {
            assertEquals(0, StoreWriterProcess.await(process));
        }
        assertSharedExperiment(dir.resolve("mlruns"), 2, 300);
    }

    /** One experiment named shared, with {@code runs} runs of {@code points} well-formed points each. */
    static void assertSharedExperiment(Path root, int runs, int points) throws Exception {
        FileStore store = new FileStore(root, TestStores.FIXED_CLOCK, IdSource.random());
        List<String> shared = new ArrayList<>();
        try (Stream<Path> experiments = Files.list(root)) {
            for (Path experiment : experiments.filter(p -> Files.isRegularFile(p.resolve("meta.yaml"))).toList()) {
                if (store.experiment(experiment.getFileName().toString()).orElseThrow().name().equals("shared")) {
                    shared.add(experiment.getFileName().toString());
                }
            }
        }
        assertEquals(1, shared.size(), "experiments named shared: " + shared);
        List<MlflowRunFolder> folders = store.runs();
        assertEquals(runs, folders.size());
        for (MlflowRunFolder folder : folders) {
            assertEquals(shared.get(0), folder.meta().experimentId());
            assertEquals(RunStatus.FINISHED, folder.meta().status());
            assertEquals(points, folder.readMetric("loss", 0).lines().size());
        }
    }
}
