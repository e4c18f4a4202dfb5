package io.spikeforge.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where runs go: the experiment's tracking.uri, else MLFLOW_TRACKING_URI, else ./mlruns. */
class TrackingOptionsTest {
    private static final Path WORK = Path.of("/work/project");

    @Test
    void localStoreByDefault() {
        TrackingOptions options = resolve(Optional.empty(), Map.of(), WORK);

        assertTrue(options.enabled());
        assertEquals(Optional.empty(), options.server());
        assertEquals(WORK.resolve("mlruns"), options.localStore());
        assertEquals(WORK.resolve("mlruns-spool"), options.spool());
    }

    @Test
    void experimentUriBeatsTheEnvironment() {
        TrackingOptions options = resolve(Optional.of(URI.create("http://tracker:5000")),
                Map.of("MLFLOW_TRACKING_URI", "http://other:5000"), WORK);

        assertEquals("http://tracker:5000", options.server().orElseThrow().name());
    }

    @Test
    void environmentNamesServerOrLocalStore() {
        Map<String, String> environment = Map.of("MLFLOW_TRACKING_URI", "https://mlflow.example.org/",
                "MLFLOW_TRACKING_TOKEN", "s3cret", "MLFLOW_HTTP_REQUEST_TIMEOUT", "7",
                "MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0");
        ServerConnection server = resolve(Optional.empty(), environment, WORK)
                .server().orElseThrow();

        assertEquals("https://mlflow.example.org", server.name());
        assertEquals(Optional.of("Bearer s3cret"), server.authorization());
        assertEquals(Duration.ofSeconds(7), server.readTimeout());
        assertEquals(1, server.maxAttempts());
        assertFalse(server.toString().contains("s3cret"), server::toString);

        assertEquals(Path.of("/data/mlruns"), resolve(Optional.empty(),
                Map.of("MLFLOW_TRACKING_URI", "file:///data/mlruns"), WORK).localStore());
        assertEquals(WORK.resolve("./runs"), resolve(Optional.empty(),
                Map.of("MLFLOW_TRACKING_URI", "file:./runs"), WORK).localStore());
        assertEquals(WORK.resolve("my runs"), resolve(Optional.empty(),
                Map.of("MLFLOW_TRACKING_URI", "my runs"), WORK).localStore());
    }

    @Test
    void otherStoresAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve(
                Optional.empty(), Map.of("MLFLOW_TRACKING_URI", "databricks"), WORK));
        assertTrue(e.getMessage().contains("'databricks'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> resolve(Optional.empty(),
                Map.of("MLFLOW_TRACKING_URI", "sqlite:///mlflow.db"), WORK));
    }

    @Test
    void disabledTrackingRecordsNothing() {
        TrackingOptions options = TrackingOptions.resolve(false, Optional.empty(),
                TrackingOptions.DEFAULT_DELIVERY_TIMEOUT, Map.of(), WORK);
        try (RunTracker tracker = RunTrackers.open(options)) {
            TrackedRun run = tracker.startRun("x", "r", Optional.empty());
            run.logMetric("loss", 1, 0);
            run.end(RunStatus.FINISHED, Optional.empty());
            assertTrue(tracker.destination().contains("disabled"));
        }
    }

    private static TrackingOptions resolve(Optional<URI> uri, Map<String, String> environment, Path workingDirectory) {
        return TrackingOptions.resolve(true, uri, TrackingOptions.DEFAULT_DELIVERY_TIMEOUT, environment,
                workingDirectory);
    }
}
