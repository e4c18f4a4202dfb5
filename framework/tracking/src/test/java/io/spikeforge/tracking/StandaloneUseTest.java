package io.spikeforge.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module on its own, as docs/tracking.md shows it to a program that is not Spikeforge: only
 * this module's class path (no ND4J, no engine, no runner), a run recorded into {@code ./mlruns}.
 */
class StandaloneUseTest {
    @TempDir
    Path workingDirectory;

    @Test
    void aProgramRecordsARunIntoMlrunsWithTheModuleAlone() throws IOException {
        Path model = Files.writeString(workingDirectory.resolve("model.bin"), "weights");

        // as in docs/tracking.md, "Using the tracking module on its own"
        TrackingOptions options = TrackingOptions.resolve(true, Optional.empty(),
                TrackingOptions.DEFAULT_DELIVERY_TIMEOUT, Map.of(), workingDirectory);
        try (RunTracker tracker = RunTrackers.open(options)) {
            TrackedRun run = tracker.startRun("my-experiment", "baseline", Optional.empty());
            try {
                run.logParams(Map.of("lr", "0.1", "epochs", "3"));
                for (int epoch = 1; epoch <= 3; epoch++) {
                    run.logMetric("loss", 1.0 / epoch, epoch);
                    run.flush();
                }
                run.logArtifact(model, "");
                run.end(RunStatus.FINISHED, Optional.empty());
            } catch (RuntimeException | Error e) {
                run.end(RunStatus.FAILED, Optional.of(e));
                throw e;
            }
            assertEquals(List.of(), tracker.finish().problems());
        }

        Path runDir = onlyRun(workingDirectory.resolve("mlruns"));
        assertTrue(Files.readString(runDir.resolve("meta.yaml")).contains("status: 3"), "FINISHED is 3");
        assertEquals("0.1", Files.readString(runDir.resolve("params/lr")));
        assertEquals(3, Files.readAllLines(runDir.resolve("metrics/loss")).size());
        assertEquals("weights", Files.readString(runDir.resolve("artifacts/model.bin")));
        try (Stream<Path> files = Files.walk(runDir)) {
            assertEquals(List.of(), files.map(Path::getFileName).map(Path::toString)
                    .filter(name -> name.startsWith(".tmp-") || name.endsWith(".partial")).toList(),
                    "no temporary file is left");
        }
    }

    @Test
    void theClassPathHoldsNeitherNd4jNorTheRestOfSpikeforge() {
        for (String absent : List.of("org.nd4j.linalg.factory.Nd4j", "io.spikeforge.api.HostInfo",
                "io.spikeforge.engine.io.Safetensors", "io.spikeforge.runner.pipeline.ExperimentPipeline")) {
            assertTrue(isAbsent(absent), absent + " is on the tracking module's test class path");
        }
    }

    private static boolean isAbsent(String className) {
        try {
            Class.forName(className, false, StandaloneUseTest.class.getClassLoader());
            return false;
        } catch (ClassNotFoundException e) {
            return true;
        }
    }

    /** The one run folder of the store: {@code <experiment id>/<run id>/}. */
    private static Path onlyRun(Path store) throws IOException {
        try (Stream<Path> files = Files.walk(store, 3)) {
            List<Path> runs = files.filter(file -> file.getFileName().toString().equals("meta.yaml"))
                    .filter(file -> store.relativize(file).getNameCount() == 3).map(Path::getParent).toList();
            assertEquals(1, runs.size(), () -> "runs in " + store + ": " + runs);
            return runs.get(0);
        }
    }
}
