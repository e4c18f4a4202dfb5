package io.spikeforge.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A run in the local store, file by file, against src/test/resources/tracking/golden: MLflow's
 * file-store layout (mlflow/store/tracking/file_store.py), with {@code ${ROOT}} standing for the
 * store's {@code file://} URI.
 */
class FileStoreGoldenTest {
    private static final String RUN_ID = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void runIsWrittenInMlflowsLayout() throws IOException, URISyntaxException {
        writeGoldenRun();
        Path golden = Path.of(getClass().getResource("/tracking/golden/file-store").toURI());
        Path actual = dir.resolve("mlruns");

        assertEquals(files(golden), files(actual), "file names");
        String root = FileStore.fileUri(actual);
        for (String file : files(golden)) {
            assertEquals(Files.readString(golden.resolve(file)).replace("${ROOT}", root),
                    Files.readString(actual.resolve(file)), file);
        }
        // folders git cannot hold empty: the trash, and a run's folders before anything is in them
        assertTrue(Files.isDirectory(actual.resolve(".trash")));
        assertEquals(dirs(golden), dirs(actual).stream().filter(d -> !d.equals(".trash")).toList(), "folders");
    }

    @Test
    void metaFieldsHaveMlflowsTypes() throws IOException {
        Path store = dir.resolve("mlruns");
        try (RunTracker tracker = RunTrackers.open(TestStores.fixed(dir, RUN_ID, "fedcba9876543210fedcba9876543210"))) {
            TrackedRun finished = tracker.startRun("typed", "a", Optional.empty());
            tracker.startRun("typed", "b", Optional.empty());
            finished.end(RunStatus.FINISHED, Optional.empty());

            Map<String, Object> experiment = yaml(store.resolve("1/meta.yaml"));
            assertInstanceOf(String.class, experiment.get("experiment_id"));
            assertInstanceOf(Long.class, experiment.get("creation_time"));
            assertInstanceOf(Long.class, experiment.get("last_update_time"));
            assertEquals("active", experiment.get("lifecycle_stage"));
            assertEquals("typed", experiment.get("name"));
            assertInstanceOf(String.class, yaml(store.resolve("0/meta.yaml")).get("experiment_id"));

            Map<String, Object> ended = yaml(store.resolve("1/" + RUN_ID + "/meta.yaml"));
            assertEquals("1", ended.get("experiment_id"));
            assertEquals(3, ended.get("status"));
            assertEquals(4, ended.get("source_type"));
            assertEquals(TestStores.NOW, ended.get("start_time"));
            assertEquals(TestStores.NOW, ended.get("end_time"));
            assertEquals(List.of(), ended.get("tags"));
            assertEquals("", ended.get("entry_point_name"));
            assertEquals(ended.get("run_id"), ended.get("run_uuid"));
            assertTrue(((String) ended.get("run_id")).matches("[0-9a-f]{32}"));
            assertTrue(!ended.containsKey("deleted_time"), "MLflow drops deleted_time when it rewrites meta.yaml");

            Map<String, Object> running = yaml(store.resolve("1/fedcba9876543210fedcba9876543210/meta.yaml"));
            assertEquals(1, running.get("status"));
            assertTrue(running.containsKey("end_time") && running.containsKey("deleted_time"));
            assertNull(running.get("end_time"));
            assertNull(running.get("deleted_time"));
        }
    }

    private void writeGoldenRun() throws IOException {
        Path config = Files.writeString(dir.resolve("resolved.yaml"), "seed: 7\n");
        try (RunTracker tracker = RunTrackers.open(TestStores.fixed(dir, RUN_ID))) {
            TrackedRun run = tracker.startRun("golden", "golden-run", Optional.empty());
            run.setTags(Map.of(RunTags.SOURCE_NAME, "experiments/golden.yaml", RunTags.SPIKEFORGE_VERSION, "0.1.0"));
            Map<String, String> params = new LinkedHashMap<>();
            params.put("training.epochs", "3");
            params.put("optimizer.lr", "0.1");
            params.put("model.name", "resnet 18");
            run.logParams(params);
            run.logMetric("loss", 2.5, 0);
            run.logMetric("accuracy", 0.5, 0);
            run.logMetric("lr", 0.1, 0);
            run.logMetric("firing_rate/layer1", 1e-5, 0);
            run.flush();
            run.logMetric("loss", 1.25, 1);
            run.logMetric("accuracy", 0.75, 1);
            run.logMetric("lr", 0.01, 1);
            run.logMetric("loss", 0.625, 2);
            run.logArtifact(config, "config");
            run.end(RunStatus.FINISHED, Optional.empty());
        }
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private static List<String> dirs(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isDirectory).filter(p -> !p.equals(root))
                    .map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
    }
}
