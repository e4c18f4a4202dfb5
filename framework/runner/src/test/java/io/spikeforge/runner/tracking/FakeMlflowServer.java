package io.spikeforge.runner.tracking;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mlflow.api.proto.Service;
import org.mlflow_project.google.protobuf.InvalidProtocolBufferException;
import org.mlflow_project.google.protobuf.Message;
import org.mlflow_project.google.protobuf.util.JsonFormat;

/**
 * An MLflow tracking server inside the test: the REST endpoints that tracking uses, applying the
 * rules of the real server (mlflow/server/handlers.py, mlflow/utils/validation.py): log-batch
 * limits of 1000 metrics, 100 params, 100 tags, 1000 entities and 1 MB; a param may not be logged
 * again with another value; key rules; metric history pages by {@code max_results} and
 * {@code page_token}; artifact PUTs to the proxy. It listens on a free loopback port and can fail
 * on purpose: 503 answers, answers that never come (before or after applying the request), or no
 * server at all ({@link #stop()}: connection refused).
 */
final class FakeMlflowServer implements AutoCloseable {
    /** How a request fails. */
    enum Failure {
        /** Answers 503 without doing anything. */
        HTTP_503,
        /** Never answers, and does nothing. */
        STALL,
        /** Does what was asked, then never answers: the client cannot know it was done. */
        APPLY_THEN_STALL
    }

    private static final int MAX_REQUEST_BYTES = 1_000_000;
    private static final int MAX_METRICS = 1000;
    private static final int MAX_PARAMS_TAGS = 100;
    private static final int MAX_ENTITIES = 1000;
    private static final int MAX_PARAM_VALUE = 6000;
    private static final int MAX_TAG_VALUE = 5000;
    private static final int MAX_KEY = 250;
    private static final Pattern KEY = Pattern.compile("[/\\w.\\- ]*", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern TAG_FILTER = Pattern.compile("tags\\.`([^`]+)`\\s*=\\s*'(.*)'");
    private static final String API = "/api/2.0/mlflow/";
    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts/";
    /** Longer than any client timeout of the tests; closing the server ends every stall at once. */
    private static final Duration STALL = Duration.ofSeconds(10);
    private static final JsonFormat.Printer JSON = JsonFormat.printer().preservingProtoFieldNames();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    /** A metric point as the server stores it. */
    record Point(String key, double value, long timestamp, long step) {
    }

    /** A run as the server stores it. */
    static final class Run {
        final String id;
        final String experimentId;
        final String name;
        final long startTime;
        String status = "RUNNING";
        long endTime;
        final Map<String, String> params = new TreeMap<>();
        final Map<String, String> tags = new TreeMap<>();
        final Map<String, List<Point>> metrics = new TreeMap<>();

        Run(String id, String experimentId, String name, long startTime) {
            this.id = id;
            this.experimentId = experimentId;
            this.name = name;
            this.startTime = startTime;
        }

        String artifactUri() {
            return "mlflow-artifacts:/" + experimentId + "/" + id + "/artifacts";
        }
    }

    private final ExecutorService executor = Executors.newFixedThreadPool(8, task -> {
        Thread thread = new Thread(task, "fake-mlflow");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch closing = new CountDownLatch(1);
    private HttpServer http;

    // everything below is guarded by this
    private final Map<String, String> experimentIdsByName = new LinkedHashMap<>();
    private final Map<String, Run> runs = new LinkedHashMap<>();
    private final Map<String, byte[]> artifacts = new TreeMap<>();
    private final List<String> requests = new ArrayList<>();
    private final List<String> refusals = new ArrayList<>();
    private Failure failure;
    private String failingEndpoint = "";
    private int historyPageCap = 25_000;
    private String requiredAuthorization;

    private int port;

    private FakeMlflowServer() {
    }

    static FakeMlflowServer start() throws IOException {
        FakeMlflowServer server = new FakeMlflowServer();
        server.listen(0);
        return server;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Stops listening: connections are refused until {@link #restart()}. */
    synchronized void stop() {
        http.stop(0);
    }

    /** Listens again on the same port, with the same runs. */
    synchronized void restart() throws IOException {
        listen(port);
    }

    /** Every request to an endpoint starting with {@code endpoint} ("" for all) fails so, until {@link #heal()}. */
    synchronized void fail(Failure how, String endpoint) {
        failure = how;
        failingEndpoint = endpoint;
    }

    synchronized void heal() {
        failure = null;
    }

    synchronized void limitHistoryPages(int maxPoints) {
        historyPageCap = maxPoints;
    }

    synchronized void requireAuthorization(String value) {
        requiredAuthorization = value;
    }

    /** Logs a param as another client would. */
    synchronized void putParam(String runId, String key, String value) {
        runs.get(runId).params.put(key, value);
    }

    synchronized List<Run> runs() {
        return List.copyOf(runs.values());
    }

    synchronized Run run(String runId) {
        return runs.get(runId);
    }

    synchronized Optional<String> experimentId(String name) {
        return Optional.ofNullable(experimentIdsByName.get(name));
    }

    synchronized Map<String, byte[]> artifacts() {
        return new TreeMap<>(artifacts);
    }

    /** {@code "POST runs/log-batch"}, {@code "PUT artifacts"}... in the order they came. */
    synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    /** The messages of the 4xx answers given. */
    synchronized List<String> refusals() {
        return List.copyOf(refusals);
    }

    @Override
    public void close() {
        closing.countDown();
        synchronized (this) {
            http.stop(0);
        }
        executor.shutdownNow();
    }

    private void listen(int onPort) throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 16);
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
        port = http.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String endpoint = path.startsWith(API) ? path.substring(API.length())
                    : path.startsWith(ARTIFACTS) ? "artifacts" : path;
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Failure how;
            synchronized (this) {
                requests.add(exchange.getRequestMethod() + " " + endpoint);
                how = failure != null && endpoint.startsWith(failingEndpoint) ? failure : null;
                if (requiredAuthorization != null
                        && !requiredAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    respond(exchange, 401, error("UNAUTHENTICATED", "credentials required"));
                    return;
                }
            }
            if (how == Failure.HTTP_503) {
                respond(exchange, 503, "<html>Service Unavailable</html>");
                return;
            }
            if (how == Failure.STALL) {
                stall();
                return;
            }
            Answer answer = answer(exchange, endpoint, body);
            if (how == Failure.APPLY_THEN_STALL) {
                stall();
                return;
            }
            respond(exchange, answer.status, answer.body);
        } catch (IOException e) {
            // the client gave up waiting: nobody reads this answer
        }
    }

    private record Answer(int status, String body) {
    }

    private synchronized Answer answer(HttpExchange exchange, String endpoint, byte[] body) {
        try {
            String method = exchange.getRequestMethod();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String text = new String(body, StandardCharsets.UTF_8);
            return switch (method + " " + endpoint) {
                case "GET experiments/get-by-name" -> getExperimentByName(query);
                case "POST experiments/create" -> createExperiment(parse(text, Service.CreateExperiment.newBuilder()));
                case "POST runs/create" -> createRun(parse(text, Service.CreateRun.newBuilder()));
                case "POST runs/log-batch" -> logBatch(body.length, parse(text, Service.LogBatch.newBuilder()));
                case "POST runs/update" -> updateRun(parse(text, Service.UpdateRun.newBuilder()));
                case "POST runs/search" -> searchRuns(parse(text, Service.SearchRuns.newBuilder()));
                case "GET runs/get" -> getRun(query);
                case "GET metrics/get-history" -> metricHistory(query);
                case "PUT artifacts" -> putArtifact(exchange.getRequestURI().getRawPath(), body);
                default -> refuse(404, "ENDPOINT_NOT_FOUND", "no endpoint " + method + " " + endpoint);
            };
        } catch (Refusal e) {
            return refuse(e.status, e.code, e.getMessage());
        } catch (InvalidProtocolBufferException e) {
            return refuse(400, "MALFORMED_REQUEST", e.getMessage());
        }
    }

    private Answer getExperimentByName(Map<String, String> query) throws Refusal {
        String name = required(query.get("experiment_name"), "experiment_name");
        String id = experimentIdsByName.get(name);
        if (id == null) {
            throw new Refusal(404, "RESOURCE_DOES_NOT_EXIST", "Could not find experiment with name '" + name + "'");
        }
        return ok(Service.GetExperimentByName.Response.newBuilder()
                .setExperiment(Service.Experiment.newBuilder().setExperimentId(id).setName(name)
                        .setLifecycleStage("active"))
                .build());
    }

    private Answer createExperiment(Service.CreateExperiment request) throws Refusal {
        String name = request.getName();
        if (name.isEmpty() || name.length() > 500) {
            throw new Refusal(400, "INVALID_PARAMETER_VALUE", "Invalid experiment name: '" + name + "'");
        }
        if (experimentIdsByName.containsKey(name)) {
            throw new Refusal(400, "RESOURCE_ALREADY_EXISTS", "Experiment '" + name + "' already exists.");
        }
        String id = Integer.toString(experimentIdsByName.size() + 1);
        experimentIdsByName.put(name, id);
        return ok(Service.CreateExperiment.Response.newBuilder().setExperimentId(id).build());
    }

    private Answer createRun(Service.CreateRun request) throws Refusal {
        if (!experimentIdsByName.containsValue(request.getExperimentId())) {
            throw new Refusal(404, "RESOURCE_DOES_NOT_EXIST", "No experiment " + request.getExperimentId());
        }
        Run run = new Run(UUID.randomUUID().toString().replace("-", ""), request.getExperimentId(),
                request.getRunName(), request.getStartTime());
        for (Service.RunTag tag : request.getTagsList()) {
            checkKey("tag", tag.getKey());
            run.tags.put(tag.getKey(), tag.getValue());
        }
        run.tags.put("mlflow.runName", request.getRunName());
        run.tags.put("mlflow.user", request.getUserId());
        runs.put(run.id, run);
        return ok(Service.CreateRun.Response.newBuilder().setRun(proto(run)).build());
    }

    private Answer logBatch(int requestBytes, Service.LogBatch request) throws Refusal {
        if (requestBytes > MAX_REQUEST_BYTES) {
            throw new Refusal(400, "INVALID_PARAMETER_VALUE", "Batched logging API requests must be at most "
                    + MAX_REQUEST_BYTES + " bytes, got a request of size " + requestBytes + ".");
        }
        Run run = existingRun(request.getRunId());
        for (Service.Metric metric : request.getMetricsList()) {
            checkKey("metric", metric.getKey());
            if (!metric.hasValue() || !metric.hasTimestamp() || metric.getTimestamp() < 0) {
                throw new Refusal(400, "INVALID_PARAMETER_VALUE", "Got invalid metric " + metric);
            }
        }
        for (Service.Param param : request.getParamsList()) {
            checkKey("parameter", param.getKey());
            checkLength("Param value", param.getValue(), MAX_PARAM_VALUE);
        }
        for (Service.RunTag tag : request.getTagsList()) {
            checkKey("tag", tag.getKey());
            checkLength("Tag value", tag.getValue(), MAX_TAG_VALUE);
        }
        checkBatchLimit("metrics", MAX_METRICS, request.getMetricsCount());
        checkBatchLimit("params", MAX_PARAMS_TAGS, request.getParamsCount());
        checkBatchLimit("tags", MAX_PARAMS_TAGS, request.getTagsCount());
        checkBatchLimit("metrics, params, and tags", MAX_ENTITIES,
                request.getMetricsCount() + request.getParamsCount() + request.getTagsCount());
        Set<String> keys = new HashSet<>();
        for (Service.Param param : request.getParamsList()) {
            if (!keys.add(param.getKey())) {
                throw new Refusal(400, "INVALID_PARAMETER_VALUE", "Duplicate parameter keys have been submitted: "
                        + param.getKey());
            }
            String current = run.params.get(param.getKey());
            if (current != null && !current.equals(param.getValue())) {
                throw new Refusal(400, "INVALID_PARAMETER_VALUE", "Changing param values is not allowed. Param "
                        + "with key='" + param.getKey() + "' was already logged with value='" + current + "'");
            }
        }
        request.getParamsList().forEach(p -> run.params.put(p.getKey(), p.getValue()));
        request.getMetricsList().forEach(m -> run.metrics.computeIfAbsent(m.getKey(), k -> new ArrayList<>())
                .add(new Point(m.getKey(), m.getValue(), m.getTimestamp(), m.getStep())));
        request.getTagsList().forEach(t -> run.tags.put(t.getKey(), t.getValue()));
        return ok(Service.LogBatch.Response.getDefaultInstance());
    }

    private Answer updateRun(Service.UpdateRun request) throws Refusal {
        Run run = existingRun(request.getRunId());
        run.status = request.getStatus().name();
        run.endTime = request.getEndTime();
        return ok(Service.UpdateRun.Response.newBuilder().setRunInfo(proto(run).getInfo()).build());
    }

    private Answer searchRuns(Service.SearchRuns request) throws Refusal {
        if (request.getMaxResults() > 50_000) {
            throw new Refusal(400, "INVALID_PARAMETER_VALUE", "max_results must be at most 50000");
        }
        Matcher filter = TAG_FILTER.matcher(request.getFilter());
        if (!filter.matches()) {
            throw new Refusal(400, "INVALID_PARAMETER_VALUE", "this fake understands tags.`key` = 'value' only");
        }
        Service.SearchRuns.Response.Builder response = Service.SearchRuns.Response.newBuilder();
        runs.values().stream()
                .filter(run -> request.getExperimentIdsList().contains(run.experimentId))
                .filter(run -> filter.group(2).equals(run.tags.get(filter.group(1))))
                .limit(request.getMaxResults() == 0 ? 1000 : request.getMaxResults())
                .forEach(run -> response.addRuns(proto(run)));
        return ok(response.build());
    }

    private Answer getRun(Map<String, String> query) throws Refusal {
        return ok(Service.GetRun.Response.newBuilder()
                .setRun(proto(existingRun(required(query.get("run_id"), "run_id")))).build());
    }

    private Answer metricHistory(Map<String, String> query) throws Refusal {
        Run run = existingRun(required(query.get("run_id"), "run_id"));
        List<Point> points = run.metrics.getOrDefault(required(query.get("metric_key"), "metric_key"), List.of());
        int pageSize = points.size();
        if (query.containsKey("max_results")) {
            int maxResults = Integer.parseInt(query.get("max_results"));
            if (maxResults < 1 || maxResults > 25_000) {
                throw new Refusal(400, "INVALID_PARAMETER_VALUE", "max_results must be between 1 and 25000");
            }
            pageSize = Math.min(maxResults, historyPageCap);
        }
        int from = query.containsKey("page_token") ? Integer.parseInt(query.get("page_token")) : 0;
        int to = Math.min(points.size(), from + pageSize);
        Service.GetMetricHistory.Response.Builder page = Service.GetMetricHistory.Response.newBuilder();
        points.subList(from, to).forEach(p -> page.addMetrics(metric(p)));
        if (to < points.size()) {
            page.setNextPageToken(Integer.toString(to));
        }
        return ok(page.build());
    }

    private Answer putArtifact(String rawPath, byte[] body) {
        String path = URLDecoder.decode(rawPath.substring(ARTIFACTS.length()), StandardCharsets.UTF_8);
        artifacts.put(path, body);
        return new Answer(200, "{}");
    }

    private Run existingRun(String runId) throws Refusal {
        Run run = runs.get(runId);
        if (run == null) {
            throw new Refusal(404, "RESOURCE_DOES_NOT_EXIST", "Run '" + runId + "' not found");
        }
        return run;
    }

    private static Service.Run proto(Run run) {
        Service.RunData.Builder data = Service.RunData.newBuilder();
        run.params.forEach((k, v) -> data.addParams(Service.Param.newBuilder().setKey(k).setValue(v)));
        run.tags.forEach((k, v) -> data.addTags(Service.RunTag.newBuilder().setKey(k).setValue(v)));
        run.metrics.values().forEach(points -> data.addMetrics(metric(points.get(points.size() - 1))));
        return Service.Run.newBuilder()
                .setInfo(Service.RunInfo.newBuilder().setRunId(run.id).setRunUuid(run.id)
                        .setExperimentId(run.experimentId).setRunName(run.name)
                        .setStatus(Service.RunStatus.valueOf(run.status)).setStartTime(run.startTime)
                        .setArtifactUri(run.artifactUri()).setLifecycleStage("active"))
                .setData(data)
                .build();
    }

    private static Service.Metric metric(Point p) {
        return Service.Metric.newBuilder().setKey(p.key()).setValue(p.value()).setTimestamp(p.timestamp())
                .setStep(p.step()).build();
    }

    private static void checkKey(String kind, String key) throws Refusal {
        // validation.py: posixpath.normpath must leave the name alone, and it may not start with '..' or '/'
        boolean normalPath = !key.isEmpty() && !key.startsWith("/") && !key.startsWith("..")
                && Arrays.stream(key.split("/", -1)).noneMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."));
        if (!KEY.matcher(key).matches() || !normalPath || key.length() > MAX_KEY) {
            throw new Refusal(400, "INVALID_PARAMETER_VALUE", "Invalid " + kind + " name: '" + key + "'");
        }
    }

    private static void checkLength(String what, String value, int limit) throws Refusal {
        if (value.length() > limit) {
            throw new Refusal(400, "INVALID_PARAMETER_VALUE", what + " had length " + value.length()
                    + ", which exceeded length limit of " + limit);
        }
    }

    private static void checkBatchLimit(String what, int limit, int count) throws Refusal {
        if (count > limit) {
            throw new Refusal(400, "INVALID_PARAMETER_VALUE", "A batch logging request can contain at most "
                    + limit + " " + what + ". Got " + count + " " + what + ".");
        }
    }

    private static String required(String value, String name) throws Refusal {
        if (value == null || value.isEmpty()) {
            throw new Refusal(400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter '" + name + "'.");
        }
        return value;
    }

    private static <T extends Message> T parse(String json, Message.Builder builder)
            throws InvalidProtocolBufferException {
        PARSER.merge(json, builder);
        @SuppressWarnings("unchecked")
        T message = (T) builder.build();
        return message;
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new HashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int equals = pair.indexOf('=');
                query.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private Answer ok(Message message) {
        try {
            return new Answer(200, JSON.print(message));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private Answer refuse(int status, String code, String message) {
        refusals.add(status + " " + code + ": " + message);
        return new Answer(status, error(code, message));
    }

    private static String error(String code, String message) {
        return "{\"error_code\": \"" + code + "\", \"message\": \"" + message.replace("\\", "\\\\")
                .replace("\"", "\\\"") + "\"}";
    }

    private void stall() {
        try {
            closing.await(STALL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;

        Refusal(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }
}
