package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.testkit.SlowTest;
import io.spikeforge.tracking.FakeMlflowServer;
import io.spikeforge.tracking.RunLock;
import io.spikeforge.tracking.RunStatus;
import io.spikeforge.tracking.RunTags;
import io.spikeforge.tracking.RunTracker;
import io.spikeforge.tracking.RunTrackers;
import io.spikeforge.tracking.TrackedRun;
import io.spikeforge.tracking.TrackingOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spikeforge mlflow} against a fake MLflow server on a loopback port: every outcome of a
 * sync has its own exit code and says what to do.
 */
@SlowTest
class MlflowCommandTest {
    /**
     * How long the end of a run waits for its records to reach a server that is up. The default
     * (10 s) is a user's bound, not a test's: on a loaded machine the run's records missed it and
     * stayed in the spool, and the server had no run. A server that is down refuses at once, so the
     * tests with one wait no longer.
     */
    private static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path dir;
    private FakeMlflowServer server;
    private final InProcessCli cli = new InProcessCli();

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everythingDeliveredIsZeroAndASecondSyncSendsNothing() throws Exception {
        server = FakeMlflowServer.start();
        spoolARun(server.uri(), false);
        server.stop();
        server.restart();

        assertEquals(ExitCodes.OK, sync(server.uri()), this::output);
        assertEquals(ExitCodes.OK, sync(server.uri()), this::output);
        assertTrue(cli.out().contains("nothing to send"), this::output);
    }

    @Test
    void anUnreachableServerIsFiveAndTheRecordsStay() throws Exception {
        server = FakeMlflowServer.start();
        server.stop();
        spoolARun(server.uri(), false);

        assertEquals(ExitCodes.TRACKING_SERVER_UNREACHABLE, sync(server.uri()), this::output);
        assertTrue(cli.err().contains("run this command again when the server answers"), this::output);
    }

    @Test
    void refusedRecordsAreSix() throws Exception {
        server = FakeMlflowServer.start();
        server.requireAuthorization("Bearer secret");
        spoolARun(server.uri(), false);

        assertEquals(ExitCodes.TRACKING_SERVER_REFUSED, sync(server.uri()), this::output);
        assertTrue(cli.err().contains("refused"), this::output);
    }

    @Test
    void runsInProgressAreEightNotARefusal() throws Exception {
        server = FakeMlflowServer.start();
        Path spool = spoolARun(server.uri(), false);
        try (Stream<Path> metas = Files.walk(spool, 3)) {
            Path runDir = metas.filter(p -> p.endsWith("meta.yaml") && p.getNameCount() - spool.getNameCount() == 3)
                    .map(Path::getParent).findFirst().orElseThrow();
            try (RunLock held = RunLock.tryAcquire(runDir).orElseThrow()) {
                assertEquals(ExitCodes.SYNC_RUNS_IN_PROGRESS, sync(server.uri()), this::output);
            }
        }
        assertTrue(cli.err().contains("open in a running Spikeforge process"), this::output);
        assertFalse(cli.err().contains("refused"), this::output);
    }

    @Test
    void theSameServerUnderAnotherNameIsZeroAndASecondServerIsNineUnlessAsked() throws Exception {
        server = FakeMlflowServer.start();
        spoolARun(server.uri(), false);
        assertEquals("FINISHED", server.runs().get(0).status(), "sent to 127.0.0.1 as it ran");

        assertEquals(ExitCodes.OK, sync(server.uri("localhost")), this::output);
        assertTrue(cli.out().contains("nothing to send"), this::output);
        assertEquals(1, server.runs().size());

        try (FakeMlflowServer second = FakeMlflowServer.start()) {
            assertEquals(ExitCodes.SYNC_OTHER_SERVER, sync(second.uri()), this::output);
            assertTrue(cli.err().contains("--another-server"), this::output);
            assertEquals(List.of(), second.runs());

            assertEquals(ExitCodes.OK, sync(second.uri(), "--another-server"), this::output);
            assertEquals("FINISHED", second.runs().get(0).status());
        }
    }

    @Test
    void artifactsTheServerDoesNotTakeAreTenAndTheStatusIsSent() throws Exception {
        server = FakeMlflowServer.start(FakeMlflowServer.Setup.PLAIN_PATH_ROOT);
        server.stop();
        spoolARun(server.uri(), true);
        server.restart();

        assertEquals(ExitCodes.ARTIFACTS_NOT_SENT, sync(server.uri()), this::output);
        assertEquals("FINISHED", server.runs().get(0).status());
        assertTrue(output().contains("/srv/mlflow/artifacts/"), this::output);
        assertTrue(output().contains("--artifacts-destination"), this::output);
    }

    @Test
    void aServerWithoutServeArtifactsIsSaidSoWithTenAndGetsTheStatus() throws Exception {
        server = FakeMlflowServer.start(FakeMlflowServer.Setup.PROXY_TURNED_OFF);
        server.stop();
        spoolARun(server.uri(), true);
        server.restart();

        assertEquals(ExitCodes.ARTIFACTS_NOT_SENT, sync(server.uri()), this::output);
        assertEquals("FINISHED", server.runs().get(0).status());
        assertTrue(output().contains("runs with --no-serve-artifacts"), this::output);
        assertFalse(output().contains("when the server"), "the server is up: " + output());
    }

    @Test
    void logArtifactsAddsWhatTheMlflowRunLacksAndSaysHowToSendIt() throws Exception {
        server = FakeMlflowServer.start();
        server.stop();
        Path runFolder = Files.createDirectories(dir.resolve("runs/tiny-1"));
        Files.writeString(runFolder.resolve("config.yaml"), "seed: 1\n");
        Files.writeString(runFolder.resolve("status"), "finished\n");
        Path spool = spoolARun(server.uri(), false, runFolder);

        assertEquals(ExitCodes.OK, run("mlflow", "log-artifacts", runFolder.toString()), this::output);
        assertTrue(cli.out().contains("Added 2 artifact(s)"), this::output);
        assertTrue(cli.out().contains("spikeforge mlflow sync --spool " + spool.toAbsolutePath()), this::output);
        try (Stream<Path> files = Files.walk(spool)) {
            assertEquals(1, files.filter(p -> p.endsWith("artifacts/config.yaml")).count());
        }
        assertEquals(ExitCodes.USAGE, run("mlflow", "log-artifacts", dir.toString()), this::output);
    }

    private Path spoolARun(URI uri, boolean withArtifact) throws Exception {
        return spoolARun(uri, withArtifact, null);
    }

    /** A finished run, sent (or, with the server down, spooled) by a tracker of this process. */
    private Path spoolARun(URI uri, boolean withArtifact, Path runFolder) throws Exception {
        TrackingOptions options = TrackingOptions.resolve(true, Optional.of(uri), DELIVERY_TIMEOUT, Map.of(), dir);
        try (RunTracker tracker = RunTrackers.open(options)) {
            TrackedRun run = tracker.startRun("cli", "run-1", Optional.empty(), runFolder == null ? Map.of()
                    : Map.of(RunTags.RUN_FOLDER, runFolder.toAbsolutePath().toString()));
            run.logParams(Map.of("training.epochs", "3"));
            run.logMetric("student.test_accuracy", 0.5, 1);
            if (withArtifact) {
                run.logArtifact(Files.writeString(dir.resolve("final.ckpt"), "weights"), "checkpoints");
            }
            run.end(RunStatus.FINISHED, Optional.empty());
        }
        return dir.resolve(TrackingOptions.SPOOL);
    }

    private int sync(URI uri, String... more) {
        String[] args = Stream.concat(Stream.of("mlflow", "sync", "--spool", dir.resolve(TrackingOptions.SPOOL).toString(),
                "--uri", uri.toString()), Stream.of(more)).toArray(String[]::new);
        return run(args);
    }

    private int run(String... args) {
        return cli.run(args);
    }

    private String output() {
        return cli.output();
    }
}
