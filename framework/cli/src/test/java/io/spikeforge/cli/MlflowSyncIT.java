package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.tracking.RunStatus;
import io.spikeforge.tracking.RunTracker;
import io.spikeforge.tracking.RunTrackers;
import io.spikeforge.tracking.TrackedRun;
import io.spikeforge.tracking.TrackingOptions;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spikeforge mlflow sync} from the distribution, on a spool left by a run whose server was down. */
class MlflowSyncIT {
    @TempDir
    Path workDir;

    @Test
    void aSpoolThatCannotReachItsServerExitsWithFiveAndKeepsTheRecords() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI server = URI.create("http://127.0.0.1:" + closedPort);
        TrackingOptions options = TrackingOptions.resolve(true, Optional.of(server),
                TrackingOptions.DEFAULT_DELIVERY_TIMEOUT, Map.of(), workDir).withIntervals(Duration.ofMillis(100), Duration.ofMinutes(1), Duration.ofSeconds(2));
        try (RunTracker tracker = RunTrackers.open(options)) {
            TrackedRun run = tracker.startRun("sync-it", "spooled", Optional.empty());
            run.logParams(Map.of("training.epochs", "3"));
            run.logMetric("test_accuracy", 0.5, 1);
            run.end(RunStatus.FINISHED, Optional.empty());
        }
        Path spool = workDir.resolve(TrackingOptions.SPOOL);
        assertTrue(Files.isDirectory(spool), "the run was kept in the spool");

        DistributionRunner.Result r = new DistributionRunner().run(workDir, Map.of(), "mlflow", "sync", "--spool",
                spool.toString(), "--uri", server.toString());
        assertEquals(ExitCodes.TRACKING_SERVER_UNREACHABLE, r.exitCode(), r::toString);
        assertTrue(r.err().contains("127.0.0.1:" + closedPort), r::toString);
        try (var files = Files.walk(spool)) {
            assertTrue(files.anyMatch(p -> p.endsWith("metrics/test_accuracy")), "the spool still holds the metric");
        }
    }
}
