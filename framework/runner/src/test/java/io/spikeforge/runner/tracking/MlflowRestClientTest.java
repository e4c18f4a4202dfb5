package io.spikeforge.runner.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service;

/** The REST calls against the fake server: its refusals, paging, timeouts and retries. */
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
    void artifactRootComesFromTheRunsArtifactUri() {
        assertEquals("1/abc/artifacts", MlflowRestClient.artifactRoot("mlflow-artifacts:/1/abc/artifacts", "1", "abc"));
        assertEquals("1/abc/artifacts",
                MlflowRestClient.artifactRoot("mlflow-artifacts://tracker:5000/1/abc/artifacts/", "1", "abc"));
        assertEquals("7/abc/artifacts", MlflowRestClient.artifactRoot("s3://bucket/7/abc/artifacts", "7", "abc"));
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
