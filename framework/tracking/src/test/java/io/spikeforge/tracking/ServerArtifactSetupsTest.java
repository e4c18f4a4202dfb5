package io.spikeforge.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artifacts under each artifact configuration of {@code mlflow server}: they go where the run's
 * own {@code artifact_uri} points, through the proxy only when it is an {@code mlflow-artifacts:}
 * URI; otherwise nothing is uploaded to a place the run does not point at, the user is told at
 * the start of the run what the server needs, the artifacts wait in the spool, and the run's
 * status reaches the server regardless.
 */
@Tag("slow") // the test kit's @SlowTest, without a dependency on the test kit
class ServerArtifactSetupsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration TEST_LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private FakeMlflowServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theDefaultRootTakesTheArtifactsThroughTheProxyWhereTheRunPoints() throws Exception {
        server = FakeMlflowServer.start(FakeMlflowServer.Setup.DEFAULT);
        FakeMlflowServer.Run run = runWithAnArtifact();

        assertEquals("FINISHED", run.status());
        assertEquals("weights", new String(server.runArtifacts(run.id()).get("checkpoints/final.ckpt"),
                StandardCharsets.UTF_8));
    }

    @Test
    void aPlainPathRootGetsNothingMisplacedAndTheUserIsToldAtTheStart() throws Exception {
        artifactsWaitInTheSpool(FakeMlflowServer.Setup.PLAIN_PATH_ROOT, "/srv/mlflow/artifacts/1/");
    }

    @Test
    void anS3RootWithTheProxyGetsNothingMisplacedAndTheUserIsToldAtTheStart() throws Exception {
        artifactsWaitInTheSpool(FakeMlflowServer.Setup.S3_ROOT, "s3://bucket/mlflow/1/");
    }

    @Test
    void noServeArtifactsOnTheFileStoreGetsNothingMisplacedAndTheUserIsToldAtTheStart() throws Exception {
        artifactsWaitInTheSpool(FakeMlflowServer.Setup.NO_SERVE_ARTIFACTS, "/srv/mlflow/mlruns/1/");
    }

    private void artifactsWaitInTheSpool(FakeMlflowServer.Setup setup, String runLocation) throws Exception {
        server = FakeMlflowServer.start(setup);
        FakeMlflowServer.Run run;
        List<String> warnings;
        try (CapturedLog log = new CapturedLog()) {
            run = runWithAnArtifact();
            warnings = log.warnings();
        }

        assertEquals(Map.of(), server.artifacts(), "nothing went to the proxy's destination, where the run does not point");
        assertEquals(Map.of(), server.runArtifacts(run.id()));
        assertEquals("FINISHED", run.status(), "the status does not wait for the artifacts");
        String atStart = warnings.stream().filter(w -> w.contains(runLocation)).findFirst()
                .orElseThrow(() -> new AssertionError("no warning names the run's artifact location: " + warnings));
        assertTrue(atStart.contains("--artifacts-destination") && atStart.contains("mlflow-artifacts:"), atStart);

        SyncReport report = SpoolSync.sync(dir.resolve("mlruns-spool"), connection());
        SyncReport.RunSync synced = report.runs().get(0);
        assertEquals(SyncReport.State.ARTIFACTS_NOT_SENT, synced.state(), report::toString);
        assertTrue(synced.problem().orElseThrow().contains(runLocation), synced::toString);
        assertEquals(Map.of(), server.artifacts());
        assertTrue(Files.isRegularFile(spoolArtifact()), "the spool keeps the artifact");
    }

    @Test
    void aProxyTurnedOffIsSaidSoAndTheStatusIsSentRegardless() throws Exception {
        server = FakeMlflowServer.start(FakeMlflowServer.Setup.PROXY_TURNED_OFF);
        assertTimeoutPreemptively(TEST_LIMIT, () -> {
            try (StoreRunTracker tracker = tracker()) {
                TrackedRun run = tracker.startRun("cifar10", "run-1", Optional.empty());
                run.logArtifact(Files.writeString(dir.resolve("final.ckpt"), "weights"), "checkpoints");
                run.end(RunStatus.FINISHED, Optional.empty());
            }
            SyncReport report = SpoolSync.sync(dir.resolve("mlruns-spool"), connection());

            FakeMlflowServer.Run onServer = server.runs().get(0);
            assertEquals("FINISHED", onServer.status());
            assertTrue(report.unreachable().isEmpty(), "the server is up: " + report);
            SyncReport.RunSync synced = report.runs().get(0);
            assertTrue(synced.problem().orElseThrow().contains("--no-serve-artifacts"), synced::toString);
            assertEquals(Map.of(), server.artifacts(), "nothing reached the proxy's destination");
            assertThrows(IllegalStateException.class, () -> server.runArtifacts(onServer.id()),
                    "MLflow 2.11 cannot list a proxied location without --serve-artifacts");
            assertTrue(Files.isRegularFile(spoolArtifact()), "the spool keeps the artifact");
        });
    }

    @Test
    void throughTheProxyOnRequestWhenItsDestinationIsTheRoot() throws Exception {
        server = FakeMlflowServer.start(new FakeMlflowServer.Setup("s3://bucket/mlflow", true, "s3://bucket/mlflow"));
        FakeMlflowServer.Run run = runWithAnArtifact();
        assertEquals(Map.of(), server.runArtifacts(run.id()));

        SyncReport report = SpoolSync.sync(dir.resolve("mlruns-spool"), connection(),
                new SpoolSync.Options(false, true));

        assertEquals(TrackingOutcome.DELIVERED, report.outcome(), report::toString);
        assertEquals("weights", new String(server.runArtifacts(run.id()).get("checkpoints/final.ckpt"),
                StandardCharsets.UTF_8));
    }

    @Test
    void throughTheProxyOnRequestStopsAtTheFirstFileTheRunDoesNotShow() throws Exception {
        server = FakeMlflowServer.start(FakeMlflowServer.Setup.S3_ROOT);
        FakeMlflowServer.Run run = runWithAnArtifact("a.txt", "b.txt");

        SyncReport report = SpoolSync.sync(dir.resolve("mlruns-spool"), connection(),
                new SpoolSync.Options(false, true));

        SyncReport.RunSync synced = report.runs().get(0);
        assertEquals(TrackingOutcome.ARTIFACTS_NOT_SENT, report.outcome(), report::toString);
        assertEquals(3, synced.artifactsNotSent(), "the one that went astray counts: the run lacks it");
        assertTrue(synced.problem().orElseThrow().contains("does not list it"), synced::toString);
        assertEquals(1, server.artifacts().size(), "one file went astray, and no more: " + server.artifacts());
        assertEquals(Map.of(), server.runArtifacts(run.id()));
    }

    private FakeMlflowServer.Run runWithAnArtifact(String... more) throws Exception {
        assertTimeoutPreemptively(TEST_LIMIT, () -> {
            Path checkpoint = Files.writeString(dir.resolve("final.ckpt"), "weights");
            try (StoreRunTracker tracker = tracker()) {
                TrackedRun run = tracker.startRun("cifar10", "run-1", Optional.empty());
                run.logParams(Map.of("lr", "0.1"));
                run.logArtifact(checkpoint, "checkpoints");
                for (String name : more) {
                    run.logArtifact(Files.writeString(dir.resolve(name), name), "");
                }
                run.end(RunStatus.FINISHED, Optional.empty());
            }
        });
        List<FakeMlflowServer.Run> runs = server.runs();
        assertEquals(1, runs.size());
        return runs.get(0);
    }

    private Path spoolArtifact() throws Exception {
        try (var files = Files.walk(dir.resolve("mlruns-spool"))) {
            return files.filter(p -> p.endsWith("artifacts/checkpoints/final.ckpt")).findFirst().orElseThrow();
        }
    }

    private ServerConnection connection() {
        return new ServerConnection(server.uri(), TIMEOUT, TIMEOUT, 2, Duration.ofMillis(10), Optional.empty());
    }

    private StoreRunTracker tracker() {
        TrackingOptions options = TestStores.options(dir).withServer(Optional.of(connection()))
                .withIntervals(Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(10))
                .withIdentity("alice", Clock.systemUTC(), IdSource.random());
        return (StoreRunTracker) RunTrackers.open(options);
    }
}
