package io.spikeforge.runner.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.HostInfo;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.tracking.RunTracker;
import io.spikeforge.runner.tracking.RunTrackers;
import io.spikeforge.runner.tracking.TrackingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pipeline run logged to a local MLflow store through the listener, as `spikeforge run` does. */
class TrackingRunListenerTest {
    @TempDir
    Path dir;

    @Test
    void aRunLandsInTheLocalStoreWithParamsMetricsArtifactsAndItsStatus() throws Exception {
        Experiment experiment = TinyExperiments.load(dir, dir.resolve("synthetic"), "tracking.enabled=true");
        TrackingOptions options = TrackingOptions.resolve(experiment.tracking(), Map.of(), dir);
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
        assertTrue(Files.isRegularFile(runFolder.resolve("tags/mlflow.source.type")) || Files.isDirectory(
                runFolder.resolve("tags")));
        for (String artifact : List.of("config.yaml", "metrics.csv", "accuracy.png", "student.safetensors")) {
            assertEquals(Files.size(result.folder().resolve(artifact)),
                    Files.size(runFolder.resolve("artifacts").resolve(artifact)), artifact);
        }
    }
}
