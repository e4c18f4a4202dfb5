package io.spikeforge.tracking;

import io.spikeforge.common.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A second JVM writing a run into a local store, for the test of two processes creating the same
 * experiment at once: it says it is ready, waits for the go file, then writes.
 */
public final class StoreWriterProcess {
    private static final long WAIT_MILLIS = 20_000;

    private StoreWriterProcess() {
    }

    /** Arguments: working folder, go file, run name, points. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path go = Path.of(args[1]);
        Files.createFile(dir.resolve("ready-" + args[2]));
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!Files.exists(go)) {
            if (System.currentTimeMillis() > deadline) {
                System.exit(2);
            }
            Thread.sleep(2);
        }
        try (RunTracker tracker = RunTrackers.open(TestStores.options(dir))) {
            TrackedRun run = tracker.startRun("shared", args[2], Optional.empty());
            for (int step = 0; step < Integer.parseInt(args[3]); step++) {
                run.logMetric("loss", step, step);
            }
            run.end(RunStatus.FINISHED, Optional.empty());
        }
    }

    static Process start(Path dir, Path go, String runName, int points) throws IOException {
        return ChildJvm.start(ChildJvm.command(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"), StoreWriterProcess.class,
                dir.toString(), go.toString(), runName, Integer.toString(points)));
    }

    static void awaitReady(Path dir, String runName) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!Files.exists(dir.resolve("ready-" + runName)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
    }

    static int await(Process process) throws InterruptedException {
        return ChildJvm.await(process, Duration.ofMillis(WAIT_MILLIS));
    }
}
