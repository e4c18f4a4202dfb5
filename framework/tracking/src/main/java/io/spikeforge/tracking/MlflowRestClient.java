package io.spikeforge.tracking;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.mlflow.api.proto.Service;
import org.mlflow_project.google.protobuf.InvalidProtocolBufferException;
import org.mlflow_project.google.protobuf.Message;
import org.mlflow_project.google.protobuf.Struct;
import org.mlflow_project.google.protobuf.Value;
import org.mlflow_project.google.protobuf.util.JsonFormat;

/**
 * The REST calls of MLflow's tracking API that tracking needs, over {@code java.net.http} (HTTP/1.1)
 * with connect and read timeouts; request and answer bodies are MLflow's own protobuf messages
 * from {@code org.mlflow:mlflow-client}, in the JSON mapping its {@code MlflowClient} uses.
 * ({@code MlflowClient} itself sets no timeouts, offers no way to set them, and repeats refused
 * requests.)
 *
 * <p>Retries: a request whose connection could not be made is tried again up to
 * {@link ServerConnection#maxAttempts()} times, with backoff; so is any request that does no harm
 * when repeated (reads, tags, params, status, artifact uploads) after a timeout or a 5xx/429
 * answer. Creating a run or logging metric points is not repeated after the server may have seen
 * it: a duplicate run or metric point would follow. Such a failure surfaces as
 * {@link ServerUnavailableException} and a sync, which looks at the server before sending, resumes.
 *
 * <p>A deadline ({@link #deliverBy}) bounds every request from then on, those under way included:
 * each waits at most until then, and none starts after it. Each failed attempt (no connection, no answer in time, a server
 * error) is told to the listener given to {@link #onFailedAttempt} as it happens, before any retry.
 */
final class MlflowRestClient {
    /** How often a request under way looks whether the deadline has passed. */
    private static final Duration DEADLINE_POLL = Duration.ofMillis(50);
    /** How many metric points to ask per page of a metric's history. */
    static final int HISTORY_PAGE_SIZE = 25_000;
    /** An artifact upload's extra time on top of the read timeout: a slow link still gets a MiB/s. */
    private static final long UPLOAD_BYTES_PER_SECOND = 1 << 20;
    private static final String API = "api/2.0/mlflow/";
    private static final String RESOURCE_ALREADY_EXISTS = "RESOURCE_ALREADY_EXISTS";
    private static final String RESOURCE_DOES_NOT_EXIST = "RESOURCE_DOES_NOT_EXIST";
    /**
     * The error code given to the 503 of a server started with {@code --no-serve-artifacts}
     * (handlers.py, _disable_unless_serve_artifacts): a refusal, not an outage.
     */
    static final String ARTIFACT_PROXY_DISABLED = "ARTIFACT_PROXY_DISABLED";

    private static final JsonFormat.Printer JSON = JsonFormat.printer().preservingProtoFieldNames()
            .omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private final ServerConnection connection;
    private final URI base;
    private final HttpClient http;
    /** When requests must end by; null while there is no such time. */
    private volatile Instant deadline;
    private volatile Consumer<String> failedAttempts = failure -> { };

    MlflowRestClient(ServerConnection connection) {
        this.connection = connection;
        String uri = connection.uri().toString();
        this.base = URI.create(uri.endsWith("/") ? uri : uri + "/");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connection.connectTimeout())
                .build();
    }

    ServerConnection connection() {
        return connection;
    }

    /** The server's base URI, with a trailing slash. */
    URI base() {
        return base;
    }

    /** Requests from now on end by {@code time}: they wait no longer, and none starts after it. */
    void deliverBy(Instant time) {
        deadline = time;
    }

    /** Tells {@code listener} of each failed attempt, in words, as it happens. */
    void onFailedAttempt(Consumer<String> listener) {
        failedAttempts = listener;
    }

    /** A run by its id, with its tags; empty when the server has no run of that id. */
    Optional<Service.Run> run(String runId) throws ServerUnavailableException, ServerRefusedException {
        Service.GetRun.Response.Builder response = Service.GetRun.Response.newBuilder();
        try {
            get("runs/get", Map.of("run_id", runId), response);
            return Optional.of(response.getRun());
        } catch (ServerRefusedException e) {
            if (RESOURCE_DOES_NOT_EXIST.equals(e.errorCode())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The id of the experiment of this name, created when there is none. */
    String experimentId(String name) throws ServerUnavailableException, ServerRefusedException {
        Optional<String> existing = experimentIdByName(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            Service.CreateExperiment.Response.Builder created = Service.CreateExperiment.Response.newBuilder();
            post("experiments/create", Service.CreateExperiment.newBuilder().setName(name).build(), created, true);
            return created.getExperimentId();
        } catch (ServerRefusedException e) {
            // another client created it since we looked
            if (RESOURCE_ALREADY_EXISTS.equals(e.errorCode())) {
                return experimentIdByName(name).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    private Optional<String> experimentIdByName(String name)
            throws ServerUnavailableException, ServerRefusedException {
        Service.GetExperimentByName.Response.Builder found = Service.GetExperimentByName.Response.newBuilder();
        try {
            get("experiments/get-by-name", Map.of("experiment_name", name), found);
            return Optional.of(found.getExperiment().getExperimentId());
        } catch (ServerRefusedException e) {
            if (RESOURCE_DOES_NOT_EXIST.equals(e.errorCode())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Creates a run; not repeated once the server may have received the request. */
    Service.RunInfo createRun(String experimentId, String runName, String userId, long startTime,
                              Map<String, String> tags) throws ServerUnavailableException, ServerRefusedException {
        Service.CreateRun.Builder request = Service.CreateRun.newBuilder()
                .setExperimentId(experimentId).setRunName(runName).setUserId(userId).setStartTime(startTime);
        tags.forEach((key, value) -> request.addTags(Service.RunTag.newBuilder().setKey(key).setValue(value)));
        Service.CreateRun.Response.Builder response = Service.CreateRun.Response.newBuilder();
        post("runs/create", request.build(), response, false);
        return response.getRun().getInfo();
    }

    /** The runs of an experiment, deleted ones included, that carry the tag {@code key = value}. */
    List<Service.RunInfo> runsTagged(String experimentId, String key, String value)
            throws ServerUnavailableException, ServerRefusedException {
        Service.SearchRuns request = Service.SearchRuns.newBuilder()
                .addExperimentIds(experimentId)
                .setFilter("tags.`" + key + "` = '" + value.replace("'", "\\'") + "'")
                .setRunViewType(Service.ViewType.ALL)
                .setMaxResults(10)
                .build();
        Service.SearchRuns.Response.Builder response = Service.SearchRuns.Response.newBuilder();
        post("runs/search", request, response, true);
        return response.getRunsList().stream().map(Service.Run::getInfo).toList();
    }

    /** The params the server has for a run. */
    Map<String, String> params(String runId) throws ServerUnavailableException, ServerRefusedException {
        Service.GetRun.Response.Builder response = Service.GetRun.Response.newBuilder();
        get("runs/get", Map.of("run_id", runId), response);
        Map<String, String> params = new LinkedHashMap<>();
        response.getRun().getData().getParamsList().forEach(p -> params.put(p.getKey(), p.getValue()));
        return params;
    }

    /** One level of a run's artifacts under {@code path} ("" for the top), as the server lists them. */
    List<Service.FileInfo> listArtifacts(String runId, String path)
            throws ServerUnavailableException, ServerRefusedException {
        List<Service.FileInfo> files = new ArrayList<>();
        String pageToken = "";
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("run_id", runId);
            if (!path.isEmpty()) {
                query.put("path", path);
            }
            if (!pageToken.isEmpty()) {
                query.put("page_token", pageToken);
            }
            Service.ListArtifacts.Response.Builder page = Service.ListArtifacts.Response.newBuilder();
            get("artifacts/list", query, page);
            files.addAll(page.getFilesList());
            pageToken = page.getNextPageToken();
        } while (!pageToken.isEmpty());
        return files;
    }

    /** Every point the server has of a metric, page by page. */
    List<MetricPoint> metricHistory(String runId, String key)
            throws ServerUnavailableException, ServerRefusedException {
        List<MetricPoint> points = new ArrayList<>();
        String pageToken = "";
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("run_id", runId);
            query.put("metric_key", key);
            query.put("max_results", Integer.toString(HISTORY_PAGE_SIZE));
            if (!pageToken.isEmpty()) {
                query.put("page_token", pageToken);
            }
            Service.GetMetricHistory.Response.Builder page = Service.GetMetricHistory.Response.newBuilder();
            get("metrics/get-history", query, page);
            page.getMetricsList().forEach(m ->
                    points.add(new MetricPoint(m.getKey(), m.getValue(), m.getTimestamp(), m.getStep())));
            pageToken = page.getNextPageToken();
        } while (!pageToken.isEmpty());
        return points;
    }

    /**
     * Sends one log-batch request: the caller keeps it within the server's limits
     * ({@link LogBatchPlan}). Repeated after a possible delivery only when it has no metric points.
     */
    void logBatch(String runId, List<Service.Metric> metrics, List<Service.Param> params, List<Service.RunTag> tags)
            throws ServerUnavailableException, ServerRefusedException {
        Service.LogBatch request = Service.LogBatch.newBuilder().setRunId(runId)
                .addAllMetrics(metrics).addAllParams(params).addAllTags(tags).build();
        post("runs/log-batch", request, Service.LogBatch.Response.newBuilder(), metrics.isEmpty());
    }

    void updateRun(String runId, RunStatus status, long endTime)
            throws ServerUnavailableException, ServerRefusedException {
        Service.UpdateRun.Builder request = Service.UpdateRun.newBuilder().setRunId(runId)
                .setStatus(Service.RunStatus.valueOf(status.mlflowName()));
        // a run set RUNNING again (a reopened sweep parent) keeps the end time the server has: MLflow cannot clear it
        if (status != RunStatus.RUNNING) {
            request.setEndTime(endTime);
        }
        post("runs/update", request.build(), Service.UpdateRun.Response.newBuilder(), true);
    }

    /**
     * Uploads a file with HTTP PUT to the artifact proxy of a run's location
     * ({@code mlflow server --serve-artifacts}, the default since MLflow 2.0).
     *
     * @param relativePath the file's path under the run's artifacts, with {@code /} separators
     * @throws ServerRefusedException with the code {@value #ARTIFACT_PROXY_DISABLED} when the server
     *     runs with {@code --no-serve-artifacts}
     */
    void uploadArtifact(ArtifactLocation.Proxied location, String relativePath, Path file)
            throws ServerUnavailableException, ServerRefusedException, IOException {
        StringJoiner path = new StringJoiner("/");
        for (String segment : (location.path() + "/" + relativePath).split("/")) {
            if (!segment.isEmpty()) {
                path.add(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        Duration timeout = connection.readTimeout().plusSeconds(Files.size(file) / UPLOAD_BYTES_PER_SECOND);
        HttpRequest.Builder request = request(location.server().resolve(ArtifactLocation.PROXY_API + path))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(file));
        send(request, timeout, true);
    }

    private void get(String endpoint, Map<String, String> query, Message.Builder response)
            throws ServerUnavailableException, ServerRefusedException {
        StringJoiner queryString = new StringJoiner("&");
        query.forEach((key, value) ->
                queryString.add(key + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        HttpRequest.Builder request = request(base.resolve(API + endpoint + "?" + queryString)).GET();
        parse(send(request, connection.readTimeout(), true), response);
    }

    private void post(String endpoint, Message body, Message.Builder response, boolean repeatable)
            throws ServerUnavailableException, ServerRefusedException {
        HttpRequest.Builder request = request(base.resolve(API + endpoint))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body), StandardCharsets.UTF_8));
        parse(send(request, connection.readTimeout(), repeatable), response);
    }

    static String json(Message message) {
        try {
            return JSON.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot write " + message.getDescriptorForType().getName() + " as JSON", e);
        }
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
        connection.authorization().ifPresent(value -> builder.header("Authorization", value));
        return builder;
    }

    /**
     * Sends a request, each attempt waiting at most {@code timeout} and never past the deadline.
     *
     * @param repeatable whether the request may be sent again after the server may have received it
     */
    private String send(HttpRequest.Builder builder, Duration timeout, boolean repeatable)
            throws ServerUnavailableException, ServerRefusedException {
        IOException lastFailure = null;
        String lastAnswer = null;
        String what = describe(builder.copy().build());
        for (int attempt = 1; attempt <= connection.maxAttempts(); attempt++) {
            if (attempt > 1) {
                pause(connection.retryBackoff().multipliedBy(1L << Math.min(attempt - 2, 10)), what);
            }
            Duration left = timeLeft(timeout);
            if (left.isNegative() || left.isZero()) {
                throw new ServerUnavailableException("MLflow server " + connection.name() + " did not take " + what
                        + " before the end-of-run delivery time ran out"
                        + (lastFailure != null || lastAnswer != null ? " (" + reason(lastFailure, lastAnswer) + ")" : ""),
                        lastFailure);
            }
            HttpRequest request = builder.timeout(left).build();
            HttpResponse<String> response;
            try {
                response = await(http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
            } catch (ConnectException | HttpConnectTimeoutException e) {
                lastFailure = e;
                failedAttempt(what, reason(e, null));
                continue;
            } catch (IOException e) {
                lastFailure = e;
                failedAttempt(what, reason(e, null));
                if (repeatable) {
                    continue;
                }
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServerUnavailableException("interrupted while waiting for " + what, e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return response.body();
            }
            if (status == 503 && response.body().contains("--no-serve-artifacts")) {
                throw new ServerRefusedException(status, ARTIFACT_PROXY_DISABLED, "HTTP 503: "
                        + abbreviate(response.body()));
            }
            if (status == 429 || status >= 500) {
                lastAnswer = "HTTP " + status + " " + abbreviate(response.body());
                lastFailure = null;
                failedAttempt(what, lastAnswer);
                if (repeatable) {
                    continue;
                }
                break;
            }
            throw refusal(status, response.body());
        }
        throw new ServerUnavailableException("MLflow server " + connection.name() + " did not take " + what + ": "
                + reason(lastFailure, lastAnswer), lastFailure);
    }

    /**
     * The answer to a request under way; gives up when the deadline passes, also one set after the
     * request started (the end of a run bounds what is in flight too).
     */
    private HttpResponse<String> await(CompletableFuture<HttpResponse<String>> answer)
            throws IOException, InterruptedException {
        while (true) {
            Instant end = deadline;
            long wait = DEADLINE_POLL.toMillis();
            if (end != null) {
                wait = Math.min(wait, Duration.between(Instant.now(), end).toMillis());
                if (wait <= 0) {
                    answer.cancel(true);
                    throw new HttpTimeoutException("no answer before the end-of-run delivery time ran out");
                }
            }
            try {
                return answer.get(wait, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // not yet: look at the deadline again
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof IOException io ? io : new IOException(cause);
            } catch (InterruptedException e) {
                answer.cancel(true);
                throw e;
            }
        }
    }

    private void failedAttempt(String what, String reason) {
        failedAttempts.accept("did not take " + what + ": " + reason);
    }

    private static String reason(IOException failure, String answer) {
        return failure != null
                ? failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage())
                : answer;
    }

    /** The time left until the deadline, or {@code upTo} when that is less. */
    private Duration timeLeft(Duration upTo) {
        Instant end = deadline;
        if (end == null) {
            return upTo;
        }
        Duration left = Duration.between(Instant.now(), end);
        return left.compareTo(upTo) < 0 ? left : upTo;
    }

    private void pause(Duration duration, String what) throws ServerUnavailableException {
        try {
            Thread.sleep(Math.max(0, timeLeft(duration).toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerUnavailableException("interrupted while waiting to send " + what + " again", e);
        }
    }

    private static ServerRefusedException refusal(int status, String body) {
        String errorCode = "";
        String message = abbreviate(body);
        try {
            Struct.Builder error = Struct.newBuilder();
            PARSER.merge(body, error);
            Map<String, Value> fields = error.getFieldsMap();
            if (fields.containsKey("error_code")) {
                errorCode = fields.get("error_code").getStringValue();
            }
            if (fields.containsKey("message")) {
                message = fields.get("message").getStringValue();
            }
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            // not MLflow's JSON error (a proxy's HTML page): the raw body is the message
        }
        return new ServerRefusedException(status, errorCode, "HTTP " + status
                + (errorCode.isEmpty() ? "" : " " + errorCode) + ": " + message);
    }

    private static void parse(String body, Message.Builder response) throws ServerRefusedException {
        try {
            PARSER.merge(body.isBlank() ? "{}" : body, response);
        } catch (InvalidProtocolBufferException e) {
            throw new ServerRefusedException(200, "", "not an MLflow answer: " + abbreviate(body));
        }
    }

    private static String describe(HttpRequest request) {
        String path = request.uri().getRawPath();
        for (String prefix : new String[] {API, ArtifactLocation.PROXY_API}) {
            int at = path.indexOf(prefix);
            if (at >= 0) {
                return request.method() + " " + (prefix.equals(API) ? "" : "artifact ")
                        + path.substring(at + prefix.length());
            }
        }
        return request.method() + " " + path;
    }

    private static String abbreviate(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
    }
}
