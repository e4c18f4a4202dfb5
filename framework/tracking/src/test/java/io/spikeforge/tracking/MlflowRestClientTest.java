package io.spikeforge.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service;

/** The REST calls against the fake server: its refusals, paging, timeouts and retries. */
@Tag("slow") // the test kit's @SlowTest, without a dependency on the test kit
class MlflowRestClientTest {
    /** Long enough for a cold JVM to answer a batch of 1000 points; the stalling server gets a short one. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(200);
    private static final int ATTEMPTS = 3;

    private FakeMlflowServer server;
    private MlflowRestClient client;
    private String runId;

    @BeforeEach
    void start() throws Exception {
        server = FakeMlflowServer.start();
        client = new MlflowRestClient(new ServerConnection(server.uri(), TIMEOUT, TIMEOUT, ATTEMPTS,
                Duration.ofMillis(5), Optional.empty()));
        String experimentId = client.experimentId("cifar10");
        assertEquals(experimentId, client.experimentId("cifar10"));
        runId = client.createRun(experimentId, "run-1", "alice", TestStores.NOW, Map.of()).getRunId();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void serverRefusesWhatTheRealOneRefuses() throws Exception {
        ServerRefusedException tooMany = assertThrows(ServerRefusedException.class,
                () -> client.logBatch(runId, metrics(1001), List.of(), List.of()));
        assertEquals(400, tooMany.httpStatus());
        assertEquals("INVALID_PARAMETER_VALUE", tooMany.errorCode());
        assertThrows(ServerRefusedException.class, () -> client.logBatch(runId, List.of(), params(101, "v"), List.of()));

        client.logBatch(runId, List.of(), params(1, "0.1"), List.of());
        client.logBatch(runId, List.of(), params(1, "0.1"), List.of());
        ServerRefusedException changed = assertThrows(ServerRefusedException.class,
                () -> client.logBatch(runId, List.of(), params(1, "0.2"), List.of()));
        assertTrue(changed.getMessage().contains("Changing param values is not allowed"), changed.getMessage());
        assertEquals(Map.of("p0", "0.1"), client.params(runId));

        ServerRefusedException missing = assertThrows(ServerRefusedException.class, () -> client.params("f".repeat(32)));
        assertEquals("RESOURCE_DOES_NOT_EXIST", missing.errorCode());
    }

    @Test
    void metricHistoryIsReadPageByPage() throws Exception {
        server.limitHistoryPages(7);
        client.logBatch(runId, metrics(20), List.of(), List.of());

        List<MetricPoint> history = client.metricHistory(runId, "loss");

        assertEquals(IntStream.range(0, 20).mapToObj(i -> (long) i).toList(),
                history.stream().map(MetricPoint::step).toList());
        assertEquals(3, server.requests().stream().filter("GET metrics/get-history"::equals).count());
    }

    @Test
    void unansweredRequestsTimeOutAndOnlyHarmlessOnesAreRepeated() {
        MlflowRestClient impatient = new MlflowRestClient(new ServerConnection(server.uri(), SHORT_TIMEOUT,
                SHORT_TIMEOUT, ATTEMPTS, Duration.ofMillis(5), Optional.empty()));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            server.fail(FakeMlflowServer.Failure.STALL, "");
            assertThrows(ServerUnavailableException.class, () -> impatient.params(runId));
            assertThrows(ServerUnavailableException.class, () -> impatient.logBatch(runId, metrics(1), List.of(),
                    List.of()));
        });
        assertEquals(ATTEMPTS, count("GET runs/get"));
        assertEquals(1, count("POST runs/log-batch"), "a metric batch the server may have taken is not repeated");
    }

    @Test
    void serverErrorsAndRefusedConnectionsAreRetried() throws IOException {
        server.fail(FakeMlflowServer.Failure.HTTP_503, "runs/get");
        assertThrows(ServerUnavailableException.class, () -> client.params(runId));
        assertEquals(ATTEMPTS, count("GET runs/get"));

        server.heal();
        server.stop();
        ServerUnavailableException refused = assertThrows(ServerUnavailableException.class,
                () -> client.logBatch(runId, metrics(1), List.of(), List.of()));
        assertTrue(refused.getMessage().contains("ConnectException"), refused.getMessage());
    }

    @Test
    void artifactLocationsBehindTheProxyComeFromTheRunsArtifactUriAndOthersAreDirect() {
        URI tracking = URI.create("http://tracker:5000/");
        assertEquals(new ArtifactLocation.Proxied(tracking, "1/abc/artifacts"),
                ArtifactLocation.of("mlflow-artifacts:/1/abc/artifacts", tracking));
        assertEquals(new ArtifactLocation.Proxied(URI.create("http://other:5001/"), "1/abc/artifacts"),
                ArtifactLocation.of("mlflow-artifacts://other:5001/1/abc/artifacts/", tracking));
        assertEquals(new ArtifactLocation.Proxied(URI.create("https://gw/mlflow/"), "1/abc/artifacts"),
                ArtifactLocation.of("https://gw/mlflow/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts", tracking));
        // a server behind a path: MLflow takes only the host from the artifact URI, the path from the tracking URI
        URI prefixed = URI.create("https://gw/mlflow/");
        assertEquals(new ArtifactLocation.Proxied(URI.create("https://other:5001/mlflow/"), "1/abc/artifacts"),
                ArtifactLocation.of("mlflow-artifacts://other:5001/1/abc/artifacts", prefixed));
        assertEquals(new ArtifactLocation.Proxied(prefixed, "1/abc/artifacts"),
                ArtifactLocation.of("mlflow-artifacts:/1/abc/artifacts", prefixed));
        for (String direct : List.of("s3://bucket/7/abc/artifacts", "/srv/mlruns/7/abc/artifacts",
                "file:///srv/mlruns/7/abc/artifacts", "gs://b/7/abc/artifacts", "https://storage.example/7/abc")) {
            assertEquals(new ArtifactLocation.Direct(direct), ArtifactLocation.of(direct, tracking), direct);
        }
    }

    @Test
    void theProxyOfAServerWithoutServeArtifactsRefusesAndIsNotRetried() throws Exception {
        server.close();
        server = FakeMlflowServer.start(FakeMlflowServer.Setup.PROXY_TURNED_OFF);
        client = new MlflowRestClient(new ServerConnection(server.uri(), TIMEOUT, TIMEOUT, ATTEMPTS,
                Duration.ofMillis(5), Optional.empty()));
        java.nio.file.Path file = java.nio.file.Files.createTempFile("artifact", ".txt");
        try {
            ServerRefusedException refused = assertThrows(ServerRefusedException.class, () -> client.uploadArtifact(
                    new ArtifactLocation.Proxied(client.base(), "1/abc/artifacts"), "a.txt", file));
            assertEquals(MlflowRestClient.ARTIFACT_PROXY_DISABLED, refused.errorCode());
            assertEquals(1, count("PUT artifacts"));
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void aDeadlineCutsEveryAttemptShortAndEachFailedAttemptIsToldAsItHappens() {
        MlflowRestClient patient = new MlflowRestClient(new ServerConnection(server.uri(), Duration.ofSeconds(30),
                Duration.ofSeconds(30), ATTEMPTS, Duration.ofMillis(5), Optional.empty()));
        List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        patient.onFailedAttempt(told::add);
        server.fail(FakeMlflowServer.Failure.STALL, "");
        long started = System.nanoTime();
        patient.deliverBy(java.time.Instant.now().plusMillis(500));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            ServerUnavailableException late = assertThrows(ServerUnavailableException.class, () -> patient.params(runId));
            assertTrue(late.getMessage().contains("delivery time ran out"), late.getMessage());
        });
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(2).toNanos(), "bounded by the deadline");
        assertEquals(1, told.size(), told::toString);
        assertTrue(told.get(0).contains("GET runs/get"), told::toString);
    }

    private long count(String request) {
        return server.requests().stream().filter(request::equals).count();
    }

    private static List<Service.Metric> metrics(int count) {
        return IntStream.range(0, count).mapToObj(i -> Service.Metric.newBuilder().setKey("loss").setValue(1.0 / (i + 1))
                .setTimestamp(TestStores.NOW + i).setStep(i).build()).toList();
    }

    private static List<Service.Param> params(int count, String value) {
        return IntStream.range(0, count).mapToObj(i -> Service.Param.newBuilder().setKey("p" + i).setValue(value)
                .build()).toList();
    }
}
