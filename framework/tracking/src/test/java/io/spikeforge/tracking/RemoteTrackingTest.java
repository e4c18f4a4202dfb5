package io.spikeforge.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tracking to a server ({@link FakeMlflowServer} on a loopback port): everything arrives within
 * the server's limits, and a server that is down or fails mid-run loses nothing: the spool keeps
 * it and a sync leaves exactly one copy of every record on the server.
 */
@Tag("slow") // the test kit's @SlowTest, without a dependency on the test kit
class RemoteTrackingTest {
    /**
     * Long enough for a cold JVM to answer a batch of 1000 points (the fake server parses JSON too),
     * so that only the outages a test makes fail requests.
     */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration TEST_LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private FakeMlflowServer server;
    private ServerConnection connection;

    /** How the server fails mid-run. */
    enum Outage { HTTP_503, TIMEOUT, CONNECTION_REFUSED, ANSWER_LOST }

    @BeforeEach
    void startServer() throws IOException {
        server = FakeMlflowServer.start();
        connection = new ServerConnection(server.uri(), TIMEOUT, TIMEOUT, 2, Duration.ofMillis(10), Optional.empty());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void runArrivesWhole() throws Exception {
        assertTimeoutPreemptively(TEST_LIMIT, () -> {
            Path config = Files.writeString(dir.resolve("resolved.yaml"), "seed: 7\n");
            Path plots = Files.createDirectories(dir.resolve("plots"));
            Files.write(plots.resolve("loss curve.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
            Map<String, String> params = params(250, "p");
            String runId;
            try (StoreRunTracker tracker = tracker(Duration.ofMinutes(1))) {
                TrackedRun run = tracker.startRun("cifar10", "run-1", Optional.empty());
                runId = run.runId();
                run.logParams(params);
                run.setTags(Map.of(RunTags.SPIKEFORGE_VERSION, "0.1.0"));
                logSteps(run, 0, 1200);
                run.logArtifact(config, "");
                run.logArtifact(plots, "");
                run.end(RunStatus.FINISHED, Optional.empty());
            }

            FakeMlflowServer.Run onServer = onlyRun();
            assertEquals("run-1", onServer.name);
            assertEquals("FINISHED", onServer.status);
            assertEquals(params, onServer.params);
            assertEquals("0.1.0", onServer.tags.get(RunTags.SPIKEFORGE_VERSION));
            assertEquals(runId, onServer.tags.get(RunTags.SPOOL_RUN_ID));
            assertEquals("alice", onServer.tags.get(RunTags.USER));
            assertExactlySteps(onServer, 0, 1200);
            String artifacts = onServer.experimentId + "/" + onServer.id + "/artifacts/";
            assertEquals("seed: 7\n", new String(server.artifacts().get(artifacts + "resolved.yaml"),
                    StandardCharsets.UTF_8));
            assertEquals(4, server.artifacts().get(artifacts + "plots/loss curve.png").length);
            assertEquals(List.of(), badRequests());
            // 250 params and 3600 points: at least 3 requests for the params, 4 for the points
            assertTrue(count("POST runs/log-batch") >= 4, server.requests()::toString);

            int requests = server.requests().size();
            SyncReport again = SpoolSync.sync(dir.resolve("mlruns-spool"), connection);
            assertTrue(again.complete() && again.sentNothing(), again::toString);
            assertEquals(requests, server.requests().size(), "a sync of a synced spool asks nothing");
        });
    }

    @ParameterizedTest
    @EnumSource(Outage.class)
    void serverFailingMidRunLosesNothing(Outage outage) throws Exception {
        assertTimeoutPreemptively(TEST_LIMIT, () -> {
            server.limitHistoryPages(100);
            Path checkpoint = Files.writeString(dir.resolve("final.ckpt"), "weights");
            try (StoreRunTracker tracker = tracker(Duration.ofHours(1))) {
                TrackedRun run = tracker.startRun("cifar10", "run-1", Optional.empty());
                run.logParams(Map.of("lr", "0.1"));
                logSteps(run, 0, 300);
                run.flush();
                tracker.workNow();
                assertExactlySteps(onlyRun(), 0, 300);

                breakServer(outage);
                logSteps(run, 300, 600);
                run.logParams(Map.of("epochs", "3"));
                run.setTags(Map.of("phase", "second"));
                // the sender now tries the failing server, for up to TIMEOUT; training goes on meanwhile
                run.flush();
                long started = System.nanoTime();
                logSteps(run, 600, 700);
                run.logArtifact(checkpoint, "checkpoints");
                run.end(RunStatus.FINISHED, Optional.empty());
                assertTrue(System.nanoTime() - started < TIMEOUT.toNanos() / 2, "training does not wait for the sender");
            }
            FakeMlflowServer.Run partial = onlyRun();
            assertEquals("RUNNING", partial.status);
            if (outage == Outage.ANSWER_LOST) {
                assertTrue(partial.metrics.get("loss").size() > 300, "the server took points it did not confirm");
            }

            mendServer(outage);
            SyncReport report = SpoolSync.sync(dir.resolve("mlruns-spool"), connection);

            assertTrue(report.complete(), report::toString);
            FakeMlflowServer.Run whole = onlyRun();
            assertEquals("FINISHED", whole.status);
            assertEquals(Map.of("lr", "0.1", "epochs", "3"), whole.params);
            assertEquals("second", whole.tags.get("phase"));
            assertExactlySteps(whole, 0, 700);
            assertEquals("weights", new String(server.artifacts().get(whole.experimentId + "/" + whole.id
                    + "/artifacts/checkpoints/final.ckpt"), StandardCharsets.UTF_8));
            SyncReport.RunSync synced = report.runs().get(0);
            if (outage == Outage.ANSWER_LOST) {
                assertTrue(synced.metricPointsAlreadyThere() > 0, synced::toString);
            }
            assertEquals(List.of(), badRequests());

            int requests = server.requests().size();
            SyncReport again = SpoolSync.sync(dir.resolve("mlruns-spool"), connection);
            assertTrue(again.complete() && again.sentNothing(), again::toString);
            assertEquals(requests, server.requests().size());
        });
    }

    @Test
    void senderResumesWhenTheServerIsBack() throws Exception {
        assertTimeoutPreemptively(TEST_LIMIT, () -> {
            try (StoreRunTracker tracker = tracker(Duration.ZERO)) {
                TrackedRun run = tracker.startRun("cifar10", "run-1", Optional.empty());
                logSteps(run, 0, 100);
                run.flush();
                tracker.workNow();
                server.fail(FakeMlflowServer.Failure.APPLY_THEN_STALL, "runs/log-batch");
                logSteps(run, 100, 200);
                run.flush();
                tracker.workNow();
                server.heal();
                logSteps(run, 200, 300);
                run.end(RunStatus.FINISHED, Optional.empty());
            }
            FakeMlflowServer.Run onServer = onlyRun();
            assertEquals("FINISHED", onServer.status);
            assertExactlySteps(onServer, 0, 300);
            SyncReport again = SpoolSync.sync(dir.resolve("mlruns-spool"), connection);
            assertTrue(again.complete() && again.sentNothing(), again::toString);
        });
    }

    @Test
    void aServerThatAcceptsConnectionsButNeverAnswersDelaysTheEndOfARunByTheDeliveryTimeoutOnly() throws Exception {
        server.fail(FakeMlflowServer.Failure.STALL, "");
        // every default: a 30 s request timeout, 3 attempts per request
        TrackingOptions defaults = TrackingOptions.resolve(true, Optional.of(server.uri()),
                TrackingOptions.DEFAULT_DELIVERY_TIMEOUT, Map.of(), dir);
        assertTrue(defaults.deliveryTimeout().compareTo(Duration.ofSeconds(15)) <= 0, "well under 30 s");
        try (CapturedLog log = new CapturedLog()) {
            assertTimeoutPreemptively(Duration.ofSeconds(25), () -> {
                RunTracker tracker = RunTrackers.open(defaults);
                TrackedRun run = tracker.startRun("cifar10", "run-1", Optional.empty());
                logSteps(run, 0, 100);
                run.end(RunStatus.FINISHED, Optional.empty());
                long started = System.nanoTime();
                TrackingReport report = tracker.finish();
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                assertTrue(took.compareTo(defaults.deliveryTimeout().plusSeconds(2)) < 0, "the end took " + took);
                assertEquals(TrackingOutcome.UNREACHABLE, report.outcome(), report::toString);
                assertTrue(String.join("\n", report.problems()).contains("spikeforge mlflow sync --spool"),
                        report::toString);
            });
            assertEquals(1, log.warnings().stream().filter(w -> w.contains("did not take")).count(),
                    log.warnings()::toString);
        }
        server.heal();
        SyncReport later = SpoolSync.sync(dir.resolve("mlruns-spool"), connection);
        assertTrue(later.complete(), later::toString);
        assertExactlySteps(onlyRun(), 0, 100);
        assertEquals("FINISHED", onlyRun().status);
    }

    @Test
    void theFirstFailedRequestIsToldAsItFailsAndOnlyOnce() throws Exception {
        server.fail(FakeMlflowServer.Failure.STALL, "");
        connection = new ServerConnection(server.uri(), TIMEOUT, Duration.ofSeconds(1), 3, Duration.ofMillis(10),
                Optional.empty());
        try (CapturedLog log = new CapturedLog()) {
            assertTimeoutPreemptively(TEST_LIMIT, () -> {
                long started = System.nanoTime();
                try (StoreRunTracker tracker = tracker(Duration.ZERO, Duration.ofSeconds(1))) {
                    TrackedRun run = tracker.startRun("cifar10", "run-1", Optional.empty());
                    while (log.warnings().isEmpty()) {
                        Thread.sleep(20);
                    }
                    Duration toldAfter = Duration.ofNanos(System.nanoTime() - started);
                    assertTrue(toldAfter.compareTo(Duration.ofMillis(2500)) < 0,
                            "told at the first failed request, not after its retries: " + toldAfter);
                    assertTrue(log.warnings().get(0).contains("did not take"), log.warnings()::toString);
                    for (int round = 0; round < 2; round++) {
                        logSteps(run, round * 10, round * 10 + 10);
                        run.flush();
                        tracker.workNow();
                    }
                    run.end(RunStatus.FINISHED, Optional.empty());
                    assertEquals(1, log.warnings().size(), log.warnings()::toString);
                }
            });
        }
    }

    @Test
    void serverDownAtTheStartDelaysNothing() throws Exception {
        assertTimeoutPreemptively(TEST_LIMIT, () -> {
            server.stop();
            long started = System.nanoTime();
            try (StoreRunTracker tracker = tracker(Duration.ofHours(1))) {
                TrackedRun parent = tracker.startRun("sweep", "parent", Optional.empty());
                TrackedRun child = tracker.startRun("sweep", "child", Optional.of(parent.runId()));
                child.logParams(Map.of("lr", "0.1"));
                logSteps(child, 0, 50);
                child.end(RunStatus.FINISHED, Optional.empty());
                parent.end(RunStatus.FINISHED, Optional.empty());
            }
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos());

            SyncReport unreachable = SpoolSync.sync(dir.resolve("mlruns-spool"), connection);
            assertTrue(unreachable.unreachable().isPresent(), unreachable::toString);
            assertFalse(unreachable.complete());

            server.restart();
            SyncReport report = SpoolSync.sync(dir.resolve("mlruns-spool"), connection);
            assertTrue(report.complete(), report::toString);
            assertEquals(List.of("parent", "child"), report.runs().stream().map(SyncReport.RunSync::runName).toList());
            FakeMlflowServer.Run parentOnServer = serverRun("parent");
            FakeMlflowServer.Run childOnServer = serverRun("child");
            assertEquals(parentOnServer.id, childOnServer.tags.get(RunTags.PARENT_RUN_ID));
            assertExactlySteps(childOnServer, 0, 50);
        });
    }

    @Test
    void childRunsPointAtTheirParentOnTheServer() throws Exception {
        assertTimeoutPreemptively(TEST_LIMIT, () -> {
            try (StoreRunTracker tracker = tracker(Duration.ofHours(1))) {
                TrackedRun parent = tracker.startRun("sweep", "parent", Optional.empty());
                for (int i = 0; i < 2; i++) {
                    TrackedRun child = tracker.startRun("sweep", "child-" + i, Optional.of(parent.runId()));
                    child.logMetric("loss", i, 0);
                    child.end(RunStatus.FINISHED, Optional.empty());
                }
                parent.end(RunStatus.FINISHED, Optional.empty());
            }
            String parentId = serverRun("parent").id;
            assertEquals(parentId, serverRun("child-0").tags.get(RunTags.PARENT_RUN_ID));
            assertEquals(parentId, serverRun("child-1").tags.get(RunTags.PARENT_RUN_ID));
        });
    }

    @Test
    void runCreatedWhoseAnswerWasLostIsNotCreatedTwice() throws Exception {
        assertTimeoutPreemptively(TEST_LIMIT, () -> {
            server.fail(FakeMlflowServer.Failure.APPLY_THEN_STALL, "runs/create");
            try (StoreRunTracker tracker = tracker(Duration.ofHours(1))) {
                TrackedRun run = tracker.startRun("cifar10", "run-1", Optional.empty());
                logSteps(run, 0, 10);
                run.end(RunStatus.FINISHED, Optional.empty());
            }
            server.heal();
            SyncReport report = SpoolSync.sync(dir.resolve("mlruns-spool"), connection);

            assertTrue(report.complete(), report::toString);
            assertFalse(report.runs().get(0).runCreated(), "the sync found the run the server had created");
            assertExactlySteps(onlyRun(), 0, 10);
        });
    }

    @Test
    void paramConflictIsReportedAndNotSent() throws Exception {
        assertTimeoutPreemptively(TEST_LIMIT, () -> {
            try (StoreRunTracker tracker = tracker(Duration.ofHours(1))) {
                TrackedRun run = tracker.startRun("cifar10", "run-1", Optional.empty());
                tracker.workNow();
                server.stop();
                run.logParams(Map.of("lr", "0.2", "epochs", "3"));
                run.end(RunStatus.FINISHED, Optional.empty());
            }
            server.putParam(onlyRun().id, "lr", "0.1");
            server.restart();

            SyncReport report = SpoolSync.sync(dir.resolve("mlruns-spool"), connection);

            assertFalse(report.complete());
            assertEquals(List.of("lr: server has '0.1', spool has '0.2'"), report.runs().get(0).conflicts());
            assertEquals(Map.of("lr", "0.1", "epochs", "3"), onlyRun().params);
            assertEquals("FINISHED", onlyRun().status);
        });
    }

    @Test
    void runOpenInThisProcessIsLeftToItsSender() throws Exception {
        assertTimeoutPreemptively(TEST_LIMIT, () -> {
            try (StoreRunTracker tracker = tracker(Duration.ofHours(1))) {
                TrackedRun run = tracker.startRun("cifar10", "run-1", Optional.empty());
                SyncReport report = SpoolSync.sync(dir.resolve("mlruns-spool"), connection);
                assertEquals(SyncReport.State.IN_USE, report.runs().get(0).state());
                assertEquals(TrackingOutcome.IN_PROGRESS, report.outcome(), "nothing was refused");
                run.end(RunStatus.FINISHED, Optional.empty());
            }
        });
    }

    @Test
    void theSameServerUnderAnotherNameGetsTheRestOfTheRun() throws Exception {
        assertTimeoutPreemptively(TEST_LIMIT, () -> {
            try (StoreRunTracker tracker = tracker(Duration.ofHours(1))) {
                TrackedRun run = tracker.startRun("cifar10", "run-1", Optional.empty());
                logSteps(run, 0, 100);
                run.flush();
                tracker.workNow();
                server.stop();
                logSteps(run, 100, 200);
                run.end(RunStatus.FINISHED, Optional.empty());
            }
            server.restart();
            ServerConnection byName = new ServerConnection(server.uri("localhost"), TIMEOUT, TIMEOUT, 2,
                    Duration.ofMillis(10), Optional.empty());

            SyncReport report = SpoolSync.sync(dir.resolve("mlruns-spool"), byName);

            assertTrue(report.complete(), report::toString);
            FakeMlflowServer.Run onServer = onlyRun();
            assertEquals("FINISHED", onServer.status);
            assertExactlySteps(onServer, 0, 200);
            assertEquals(List.of(), badRequests());
        });
    }

    @Test
    void aSecondServerGetsTheSpoolOnlyOnRequestAndEachServerItsOwnCopy() throws Exception {
        assertTimeoutPreemptively(TEST_LIMIT, () -> {
            try (StoreRunTracker tracker = tracker(Duration.ofHours(1))) {
                TrackedRun run = tracker.startRun("cifar10", "run-1", Optional.empty());
                run.logParams(Map.of("lr", "0.1"));
                logSteps(run, 0, 50);
                run.logArtifact(Files.writeString(dir.resolve("final.ckpt"), "weights"), "checkpoints");
                run.end(RunStatus.FINISHED, Optional.empty());
            }
            Path spool = dir.resolve("mlruns-spool");
            try (FakeMlflowServer second = FakeMlflowServer.start()) {
                ServerConnection toSecond = new ServerConnection(second.uri(), TIMEOUT, TIMEOUT, 2,
                        Duration.ofMillis(10), Optional.empty());

                SyncReport refused = SpoolSync.sync(spool, toSecond);
                assertEquals(SyncReport.State.OTHER_SERVER, refused.runs().get(0).state(), refused::toString);
                assertEquals(TrackingOutcome.OTHER_SERVER, refused.outcome());
                assertTrue(refused.runs().get(0).problem().orElseThrow().contains(server.uri().toString()),
                        refused::toString);
                assertEquals(List.of(), second.runs());

                SyncReport copied = SpoolSync.sync(spool, toSecond, new SpoolSync.Options(true, false));
                assertTrue(copied.complete(), copied::toString);
                FakeMlflowServer.Run copy = second.runs().get(0);
                assertEquals("FINISHED", copy.status);
                assertEquals(Map.of("lr", "0.1"), copy.params);
                assertEquals(50, copy.metrics.get("loss").size());
                assertEquals("weights", new String(second.runArtifacts(copy.id).get("checkpoints/final.ckpt"),
                        StandardCharsets.UTF_8));

                int firstRequests = server.requests().size();
                int secondRequests = second.requests().size();
                assertTrue(SpoolSync.sync(spool, connection).sentNothing());
                assertTrue(SpoolSync.sync(spool, toSecond, new SpoolSync.Options(true, false)).sentNothing());
                assertEquals(firstRequests, server.requests().size(), "nothing to send, nothing asked");
                assertEquals(secondRequests, second.requests().size(), "nothing to send, nothing asked");
                assertEquals(1, second.runs().size());
                assertExactlySteps(onlyRun(), 0, 50);
            }
        });
    }

    @Test
    void aResumedRunRefersToTheServersCopyOfTheRunItContinuesAlsoWhenThatWaitedInTheSpool() throws Exception {
        assertTimeoutPreemptively(TEST_LIMIT, () -> {
            Path runFolder = Files.createDirectories(dir.resolve("runs/tiny-1"));
            Map<String, String> folderTag = Map.of(RunTags.RUN_FOLDER, runFolder.toString());
            server.stop();
            try (StoreRunTracker tracker = tracker(Duration.ofHours(1))) {
                TrackedRun first = tracker.startRun("cifar10", "tiny-1", Optional.empty(), folderTag);
                logSteps(first, 0, 20);
                first.end(RunStatus.INTERRUPTED, Optional.empty());
            }
            server.restart();
            try (StoreRunTracker tracker = tracker(Duration.ofHours(1))) {
                List<RunIdsFile.Entry> earlier = RunIdsFile.read(runFolder);
                Map<String, String> tags = new LinkedHashMap<>(folderTag);
                tags.put(RunTags.RESUMED_FROM, tracker.referenceTo(earlier.get(earlier.size() - 1)).orElseThrow());
                TrackedRun second = tracker.startRun("cifar10", "tiny-1", Optional.empty(), tags);
                logSteps(second, 20, 40);
                second.end(RunStatus.FINISHED, Optional.empty());
            }

            FakeMlflowServer.Run first = server.runs().get(0);
            FakeMlflowServer.Run second = server.runs().get(1);
            assertExactlySteps(first, 0, 20);
            assertEquals("KILLED", first.status);
            assertEquals(first.id, second.tags.get(RunTags.RESUMED_FROM), "the server's id, not the spool's");
            List<RunIdsFile.Entry> listed = RunIdsFile.read(runFolder);
            assertEquals(List.of(Optional.of(first.id), Optional.of(second.id)),
                    listed.stream().map(RunIdsFile.Entry::serverRunId).toList());
            assertEquals(List.of(first.tags.get(RunTags.SPOOL_RUN_ID), second.tags.get(RunTags.SPOOL_RUN_ID)),
                    listed.stream().map(RunIdsFile.Entry::runId).toList());
            assertTrue(SpoolSync.sync(dir.resolve("mlruns-spool"), connection).sentNothing());
        });
    }

    @Test
    void credentialsFromTheEnvironmentAreSent() throws Exception {
        assertTimeoutPreemptively(TEST_LIMIT, () -> {
            server.requireAuthorization("Bearer t0ken");
            try (StoreRunTracker tracker = tracker(Duration.ofHours(1))) {
                tracker.startRun("cifar10", "run-1", Optional.empty()).end(RunStatus.FINISHED, Optional.empty());
            }
            SyncReport refused = SpoolSync.sync(dir.resolve("mlruns-spool"), connection);
            assertEquals(SyncReport.State.REFUSED, refused.runs().get(0).state(), refused::toString);

            ServerConnection withToken = ServerConnection.of(server.uri(), Map.of("MLFLOW_TRACKING_TOKEN", "t0ken"))
                    .withTimeouts(TIMEOUT, TIMEOUT);
            assertTrue(SpoolSync.sync(dir.resolve("mlruns-spool"), withToken).complete());
            assertEquals("FINISHED", onlyRun().status);
        });
    }

    /** A tracker sending to the fake server; its timer is slow, so tests send with {@code workNow}. */
    @Test
    void aRunLeftRunningIsEndedReopenedAndEndedAgainOnTheServerAfterItsProcess() throws Exception {
        assertTimeoutPreemptively(TEST_LIMIT, () -> {
            Path folder = Files.createDirectories(dir.resolve("sweep"));
            try (StoreRunTracker tracker = tracker(Duration.ofMinutes(1))) {
                TrackedRun run = tracker.startRun("cifar10", "sweep", Optional.empty(),
                        Map.of(RunTags.RUN_FOLDER, folder.toString()));
                tracker.leaveRunning(run);
            }
            assertEquals("RUNNING", onlyRun().status);
            RunIdsFile.Entry entry = RunIdsFile.read(folder).get(0);

            assertEquals(RunStatus.RUNNING, RunTrackers.setRecordedRunStatus(entry, RunStatus.FAILED));
            SyncReport ended = RunTrackers.sendRecordedRun(entry, Map.of()).orElseThrow();
            assertTrue(ended.complete(), ended::toString);
            assertEquals("FAILED", onlyRun().status);
            long endTime = onlyRun().endTime;
            assertTrue(endTime > 0);
            // reopened: RUNNING on the server too, which keeps the end time (MLflow cannot clear it)
            RunTrackers.setRecordedRunStatus(entry, RunStatus.RUNNING);
            assertTrue(RunTrackers.sendRecordedRun(entry, Map.of()).orElseThrow().complete());
            assertEquals("RUNNING", onlyRun().status);
            assertEquals(endTime, onlyRun().endTime);

            // ended while the server is down: the change waits in the spool, and a sync sends it
            server.stop();
            RunTrackers.setRecordedRunStatus(entry, RunStatus.FINISHED);
            SyncReport down = RunTrackers.sendRecordedRun(entry, Map.of()).orElseThrow();
            assertEquals(TrackingOutcome.UNREACHABLE, down.outcome(), down::toString);
            server.restart();
            assertEquals("RUNNING", onlyRun().status);
            SyncReport synced = SpoolSync.sync(dir.resolve("mlruns-spool"), connection);
            assertTrue(synced.complete(), synced::toString);
            assertEquals("FINISHED", onlyRun().status);
            assertEquals(1, server.runs().size());
        });
    }

    private StoreRunTracker tracker(Duration retryInterval) {
        return tracker(retryInterval, Duration.ofSeconds(10));
    }

    private StoreRunTracker tracker(Duration retryInterval, Duration deliveryTimeout) {
        TrackingOptions options = TestStores.options(dir).withServer(Optional.of(connection))
                .withIntervals(Duration.ofHours(1), retryInterval, deliveryTimeout)
                .withIdentity("alice", Clock.systemUTC(), IdSource.random());
        return (StoreRunTracker) RunTrackers.open(options);
    }

    private void breakServer(Outage outage) {
        switch (outage) {
            case HTTP_503 -> server.fail(FakeMlflowServer.Failure.HTTP_503, "");
            case TIMEOUT -> server.fail(FakeMlflowServer.Failure.STALL, "");
            case CONNECTION_REFUSED -> server.stop();
            case ANSWER_LOST -> server.fail(FakeMlflowServer.Failure.APPLY_THEN_STALL, "runs/log-batch");
        }
    }

    private void mendServer(Outage outage) throws IOException {
        if (outage == Outage.CONNECTION_REFUSED) {
            server.restart();
        } else {
            server.heal();
        }
    }

    /** Three metrics a step: loss, accuracy and a nested firing rate; values that tell steps apart. */
    private static void logSteps(TrackedRun run, int from, int to) {
        for (int step = from; step < to; step++) {
            run.logMetric("loss", 1.0 / (step + 1), step);
            run.logMetric("accuracy", step / 1000.0, step);
            run.logMetric("firing_rate/layer1", step % 7 == 0 ? Double.NaN : step * 1e-6, step);
        }
    }

    /** Each of the three metrics holds each step in {@code [from, to)} once, and nothing else. */
    private static void assertExactlySteps(FakeMlflowServer.Run run, int from, int to) {
        List<Long> expected = IntStream.range(from, to).mapToObj(i -> (long) i).toList();
        for (String key : List.of("loss", "accuracy", "firing_rate/layer1")) {
            List<Long> steps = new ArrayList<>(run.metrics.getOrDefault(key, List.of()).stream()
                    .map(FakeMlflowServer.Point::step).toList());
            steps.sort(null);
            assertEquals(expected, steps, key);
        }
        assertEquals(1.0 / to, run.metrics.get("loss").stream()
                .filter(p -> p.step() == to - 1).findFirst().orElseThrow().value(), 0);
    }

    private FakeMlflowServer.Run onlyRun() {
        List<FakeMlflowServer.Run> runs = server.runs();
        assertEquals(1, runs.size(), () -> "runs on the server: " + runs.size());
        return runs.get(0);
    }

    private FakeMlflowServer.Run serverRun(String name) {
        List<FakeMlflowServer.Run> named = server.runs().stream().filter(r -> r.name.equals(name)).toList();
        assertEquals(1, named.size(), () -> "runs named " + name + ": " + named.size());
        return named.get(0);
    }

    /** The 400 answers: requests the real server would refuse too (404s of lookups are normal). */
    private List<String> badRequests() {
        return server.refusals().stream().filter(refusal -> refusal.startsWith("400")).toList();
    }

    private long count(String request) {
        return server.requests().stream().filter(request::equals).count();
    }

    private static Map<String, String> params(int count, String prefix) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            params.put(prefix + i, Integer.toString(i));
        }
        return params;
    }
}
