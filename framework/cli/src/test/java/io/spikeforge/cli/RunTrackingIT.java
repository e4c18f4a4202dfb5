package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spikeforge run} from the distribution, where MLflow tracking decides the outcome. */
class RunTrackingIT {
    private static DistributionRunner spikeforge;
    private static Path tinyRun;

    @TempDir
    Path workDir;

    @BeforeAll
    static void locate() throws URISyntaxException {
        spikeforge = new DistributionRunner();
        tinyRun = Path.of(RunTrackingIT.class.getResource("/experiments/tiny-run.yaml").toURI());
    }

    @Test
    void aFinishedRunWhoseServerIsDownExitsFiveAndSaysHowToSendItsRecords() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        DistributionRunner.Result r = spikeforge.run(workDir, Map.of(), "run", tinyRun.toString(),
                "tracking.enabled=true", "tracking.uri=http://127.0.0.1:" + closedPort);

        assertEquals(ExitCodes.TRACKING_SERVER_UNREACHABLE, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("status   finished\n"), r::toString);
        assertTrue(r.err().contains("spikeforge mlflow sync --spool " + workDir.resolve("mlruns-spool")), r::toString);
        assertEquals(1, r.err().lines().filter(line -> line.contains("did not take")
                && line.contains("Nothing waits for it")).count(), "told once: " + r);
    }

    @Test
    void anInvalidTrackingUriInTheEnvironmentIsAnInvalidExperimentLikeInTheFile() throws Exception {
        DistributionRunner.Result fromEnvironment = spikeforge.run(workDir,
                Map.of("MLFLOW_TRACKING_URI", "localhost:5055"), "run", tinyRun.toString(), "tracking.enabled=true");

        assertEquals(ExitCodes.INVALID_EXPERIMENT, fromEnvironment.exitCode(), fromEnvironment::toString);
        assertTrue(fromEnvironment.err().contains("MLFLOW_TRACKING_URI"), fromEnvironment::toString);
        assertTrue(fromEnvironment.err().contains("http://localhost:5055"), fromEnvironment::toString);
        assertFalse(fromEnvironment.err().contains("internal error"), fromEnvironment::toString);
        assertFalse(Files.exists(workDir.resolve("runs")), "nothing started");

        DistributionRunner.Result fromFile = spikeforge.run(workDir, Map.of(), "run", tinyRun.toString(),
                "tracking.enabled=true", "tracking.uri=localhost:5055");
        assertEquals(ExitCodes.INVALID_EXPERIMENT, fromFile.exitCode(), fromFile::toString);
    }
}
