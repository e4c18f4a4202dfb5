package io.spikeforge.tracking;

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
 * An MLflow 2.11 tracking server inside the test: the REST endpoints that tracking uses, applying
 * the rules of the real server (mlflow/server/handlers.py, mlflow/utils/validation.py): log-batch
 * limits of 1000 metrics, 100 params, 100 tags, 1000 entities and 1 MB; a param may not be logged
 * again with another value; key rules. A metric's history comes whole, as MLflow 2.11's handler
 * ignores {@code max_results} and {@code page_token}; {@link #limitHistoryPages} makes it page as
 * later versions do. It listens on a free loopback port and can fail on purpose: 503 answers,
 * answers that never come (before or after applying the request), or no server at all
 * ({@link #stop()}: connection refused).
 *
 * <p>Artifacts follow the server's options ({@link Setup}): an experiment's artifact location is the
 * default artifact root with the experiment id appended, a run's is that with
 * {@code <run id>/artifacts}; uploads to the artifact proxy ({@code PUT
 * /api/2.0/mlflow-artifacts/artifacts/<path>}) land at {@code <--artifacts-destination>/<path>},
 * whatever the run's location; {@code GET artifacts/list} of a run lists its own location, through
 * the proxy's destination when it is a proxied URI ({@code mlflow-artifacts:}, {@code http(s):})
 * and the server serves artifacts. With {@code --no-serve-artifacts} every proxy endpoint answers
 * 503 with the real server's text, and listing a run whose location is proxied fails with a 500
 * (the server then resolves {@code mlflow-artifacts:} against its own backend store URI, which is
 * not HTTP, and its handler fails).
 */
public final class FakeMlflowServer implements AutoCloseable {
    /** How a request fails. */
    public enum Failure {
        /** Answers 503 without doing anything. */
        HTTP_503,
        /** Never answers, and does nothing. */
        STALL,
        /** Does what was asked, then never answers: the client cannot know it was done. */
        APPLY_THEN_STALL
    }

    /**
     * The artifact options of {@code mlflow server}, as mlflow/utils/server_cli_utils.py resolves them.
     *
     * @param defaultArtifactRoot {@code --default-artifact-root} (resolved: a relative path is made absolute)
     * @param serveArtifacts {@code --serve-artifacts} (the default since MLflow 2.0) or {@code --no-serve-artifacts}
     * @param artifactsDestination {@code --artifacts-destination} (default {@code ./mlartifacts}), where
     *     the proxy stores uploads
     */
    public record Setup(String defaultArtifactRoot, boolean serveArtifacts, String artifactsDestination) {
        /** {@code mlflow server}: the root {@code mlflow-artifacts:/}, uploads through the proxy. */
        public static final Setup DEFAULT = new Setup("mlflow-artifacts:/", true, "/srv/mlflow/mlartifacts");
        /** {@code mlflow server --default-artifact-root /srv/mlflow/artifacts}: a path clients write to themselves. */
        public static final Setup PLAIN_PATH_ROOT = new Setup("/srv/mlflow/artifacts", true,
                "/srv/mlflow/mlartifacts");
        /** {@code mlflow server --default-artifact-root s3://bucket/mlflow --serve-artifacts}. */
        public static final Setup S3_ROOT = new Setup("s3://bucket/mlflow", true, "/srv/mlflow/mlartifacts");
        /** {@code mlflow server --no-serve-artifacts} on the file store ./mlruns: its folder is the root. */
        public static final Setup NO_SERVE_ARTIFACTS = new Setup("/srv/mlflow/mlruns", false,
                "/srv/mlflow/mlartifacts");
        /**
         * A server whose experiments were created with the default root and that was restarted with
         * {@code --no-serve-artifacts}: runs keep {@code mlflow-artifacts:} locations the proxy no longer serves.
         */
        public static final Setup PROXY_TURNED_OFF = new Setup("mlflow-artifacts:/", false,
                "/srv/mlflow/mlartifacts");
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
    private static final String ARTIFACTS_API = "/api/2.0/mlflow-artifacts/";
    /** The rule Flask names in the 503 of --no-serve-artifacts (handlers.py, _disable_unless_serve_artifacts). */
    private static final String ARTIFACT_RULE = "/api/2.0/mlflow-artifacts/artifacts/<path:artifact_path>";
    /** Flask's page for an exception a handler does not catch. */
    private static final String INTERNAL_SERVER_ERROR = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server"
            + " Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was"
            + " unable to complete your request. Either the server is overloaded or there is an error in the"
            + " application.</p>\n";
    /** Longer than any client timeout of the tests; closing the server ends every stall at once. */
    private static final Duration STALL = Duration.ofSeconds(60);
    private static final JsonFormat.Printer JSON = JsonFormat.printer().preservingProtoFieldNames();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    /** A metric point as the server stores it. */
    public record Point(String key, double value, long timestamp, long step) {
    }

    /** A run as the server stores it. */
    public static final class Run {
        final String id;
        final String experimentId;
        final String name;
        final long startTime;
        final String artifactUri;
        String status = "RUNNING";
        long endTime;
        final Map<String, String> params = new TreeMap<>();
        final Map<String, String> tags = new TreeMap<>();
        final Map<String, List<Point>> metrics = new TreeMap<>();

        Run(String id, String experimentId, String name, long startTime, String artifactUri) {
            this.id = id;
            this.experimentId = experimentId;
            this.name = name;
            this.startTime = startTime;
            this.artifactUri = artifactUri;
        }

        public String id() {
            return id;
        }

        public String name() {
            return name;
        }

        public String status() {
            return status;
        }

        public Map<String, String> params() {
            return params;
        }

        public Map<String, String> tags() {
            return tags;
        }

        /** The run's points of a metric, in the order they came. */
        public List<Point> metric(String key) {
            return metrics.getOrDefault(key, List.of());
        }
    }

    private final ExecutorService executor = Executors.newFixedThreadPool(8, task -> {
        Thread thread = new Thread(task, "fake-mlflow");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch closing = new CountDownLatch(1);
    private HttpServer http;

    private final Setup setup;

    // everything below is guarded by this
    private final Map<String, String> experimentIdsByName = new LinkedHashMap<>();
    private final Map<String, String> artifactLocations = new HashMap<>();
    private int experimentsCreated;
    private final Map<String, Run> runs = new LinkedHashMap<>();
    /** Every artifact file the server's storage holds, by its full location. */
    private final Map<String, byte[]> stored = new TreeMap<>();
    private final List<String> requests = new ArrayList<>();
    private final List<String> refusals = new ArrayList<>();
    private Failure failure;
    private String failingEndpoint = "";
    /** Points per page of a metric's history; 0 for MLflow 2.11, which sends it whole. */
    private int historyPageCap;
    private String requiredAuthorization;

    private int port;

    private FakeMlflowServer(Setup setup) {
        this.setup = setup;
        experimentIdsByName.put("Default", "0");
        artifactLocations.put("0", appendToUriPath(setup.defaultArtifactRoot(), "0"));
    }

    /** A server as {@code mlflow server} starts by default. */
    public static FakeMlflowServer start() throws IOException {
        return start(Setup.DEFAULT);
    }

    public static FakeMlflowServer start(Setup setup) throws IOException {
        FakeMlflowServer server = new FakeMlflowServer(setup);
        server.listen(0);
        return server;
    }

    public URI uri() {
        return uri("127.0.0.1");
    }

    /** The server under another name for the same address, such as {@code localhost}. */
    public URI uri(String host) {
        return URI.create("http://" + host + ":" + port);
    }

    /** Stops listening: connections are refused until {@link #restart()}. */
    public synchronized void stop() {
        http.stop(0);
    }

    /** Listens again on the same port, with the same runs. */
    public synchronized void restart() throws IOException {
        listen(port);
    }

    /** Every request to an endpoint starting with {@code endpoint} ("" for all) fails so, until {@link #heal()}. */
    public synchronized void fail(Failure how, String endpoint) {
        failure = how;
        failingEndpoint = endpoint;
    }

    public synchronized void heal() {
        failure = null;
    }

    /**
     * Pages metric histories as MLflow versions after 2.11 do: at most {@code max_results} points
     * (1 to 25000) and never more than {@code maxPoints}, with a {@code next_page_token}.
     */
    public synchronized void limitHistoryPages(int maxPoints) {
        historyPageCap = maxPoints;
    }

    public synchronized void requireAuthorization(String value) {
        requiredAuthorization = value;
    }

    /** Logs a param as another client would. */
    public synchronized void putParam(String runId, String key, String value) {
        runs.get(runId).params.put(key, value);
    }

    public synchronized List<Run> runs() {
        return List.copyOf(runs.values());
    }

    public synchronized Run run(String runId) {
        return runs.get(runId);
    }

    public synchronized Optional<String> experimentId(String name) {
        return Optional.ofNullable(experimentIdsByName.get(name));
    }

    /** The files the artifact proxy stored, by their path under {@code --artifacts-destination}. */
    public synchronized Map<String, byte[]> artifacts() {
        return filesUnder(setup.artifactsDestination());
    }

    /**
     * The files of a run as the server lists them ({@code GET artifacts/list}, followed into
     * folders), by their path under the run's artifact location.
     *
     * @throws IllegalStateException where the server cannot list them ({@code --no-serve-artifacts}
     *     and a proxied location)
     */
    public synchronized Map<String, byte[]> runArtifacts(String runId) {
        String location = runs.get(runId).artifactUri;
        if (!listable(location)) {
            throw new IllegalStateException("a server without --serve-artifacts cannot list " + location);
        }
        return filesUnder(storageOf(location));
    }

    private Map<String, byte[]> filesUnder(String location) {
        Map<String, byte[]> files = new TreeMap<>();
        String prefix = location.endsWith("/") ? location : location + "/";
        stored.forEach((path, bytes) -> {
            if (path.startsWith(prefix)) {
                files.put(path.substring(prefix.length()), bytes);
            }
        });
        return files;
    }

    /**
     * Where the server's storage has a location: proxied URIs point into the proxy's destination
     * (handlers.py, _get_proxied_run_artifact_destination_path).
     */
    private String storageOf(String artifactUri) {
        URI uri = URI.create(artifactUri);
        if ("mlflow-artifacts".equals(uri.getScheme())) {
            return appendToUriPath(setup.artifactsDestination(), uri.getPath().replaceAll("^/+", ""));
        }
        if (proxied(artifactUri)) {
            String path = uri.getPath();
            return appendToUriPath(setup.artifactsDestination(),
                    path.substring(path.indexOf(ARTIFACTS) + ARTIFACTS.length()).replaceAll("^/+", ""));
        }
        return artifactUri;
    }

    /** handlers.py, _is_servable_proxied_run_artifact_root without the server's option. */
    private static boolean proxied(String artifactUri) {
        String scheme = URI.create(artifactUri).getScheme();
        return "mlflow-artifacts".equals(scheme)
                || ("http".equals(scheme) || "https".equals(scheme)) && artifactUri.contains(ARTIFACTS);
    }

    /** Whether the server can list a location: a proxied one only while it serves artifacts. */
    private boolean listable(String artifactUri) {
        return setup.serveArtifacts() || !proxied(artifactUri);
    }

    /** mlflow/utils/uri.py append_to_uri_path for the locations used here. */
    private static String appendToUriPath(String root, String path) {
        return root.endsWith("/") ? root + path : root + "/" + path;
    }

    /** {@code "POST runs/log-batch"}, {@code "PUT artifacts"}... in the order they came. */
    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    /** The messages of the 4xx answers given. */
    public synchronized List<String> refusals() {
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
                    : path.startsWith(ARTIFACTS_API) ? "artifacts" : path;
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
                    respond(exchange, 401, "application/json", error("UNAUTHENTICATED", "credentials required"));
                    return;
                }
            }
            if (how == Failure.HTTP_503) {
                respond(exchange, 503, "text/html", "<html>Service Unavailable</html>");
                return;
            }
            if (how == Failure.STALL) {
                stall();
                return;
            }
            if (endpoint.equals("artifacts") && !setup.serveArtifacts()) {
                // Flask's Response(text, 503): text/html
                respond(exchange, 503, "text/html; charset=utf-8", "Endpoint: " + ARTIFACT_RULE + " disabled due to "
                        + "the mlflow server running with `--no-serve-artifacts`. To enable artifacts server "
                        + "functionality, run `mlflow server` with `--serve-artifacts`");
                return;
            }
            Answer answer = answer(exchange, endpoint, body);
            if (how == Failure.APPLY_THEN_STALL) {
                stall();
                return;
            }
            respond(exchange, answer.status, answer.contentType, answer.body);
        } catch (IOException e) {
            // the client gave up waiting: nobody reads this answer
        }
    }

    private record Answer(int status, String contentType, String body) {
        Answer(int status, String body) {
            this(status, "application/json", body);
        }
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
                case "GET artifacts/list" -> listArtifacts(query);
                case "PUT artifacts" -> putArtifact(exchange.getRequestURI().getRawPath(), body);
                default -> refuse(404, "ENDPOINT_NOT_FOUND", "no endpoint " + method + " " + endpoint);
            };
        } catch (Refusal e) {
            return refuse(e.status, e.code, e.getMessage());
        } catch (ServerError e) {
            return new Answer(500, "text/html; charset=utf-8", INTERNAL_SERVER_ERROR);
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
                        .setArtifactLocation(artifactLocations.get(id)).setLifecycleStage("active"))
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
        String id = Integer.toString(++experimentsCreated);
        experimentIdsByName.put(name, id);
        artifactLocations.put(id, appendToUriPath(setup.defaultArtifactRoot(), id));
        return ok(Service.CreateExperiment.Response.newBuilder().setExperimentId(id).build());
    }

    private Answer createRun(Service.CreateRun request) throws Refusal {
        if (!experimentIdsByName.containsValue(request.getExperimentId())) {
            throw new Refusal(404, "RESOURCE_DOES_NOT_EXIST", "No experiment " + request.getExperimentId());
        }
        String runId = UUID.randomUUID().toString().replace("-", "");
        Run run = new Run(runId, request.getExperimentId(), request.getRunName(), request.getStartTime(),
                appendToUriPath(artifactLocations.get(request.getExperimentId()), runId + "/artifacts"));
        for (Service.RunTag tag : request.getTagsList()) {
            checkKey("tag", tag.getKey());
            run.tags.put(tag.getKey(), tag.getValue());
        }
        // the store adds the run name tag, not mlflow.user: clients send that one themselves
        run.tags.put("mlflow.runName", request.getRunName());
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
        if (request.hasEndTime()) {
            run.endTime = request.getEndTime();
        }
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
        if (historyPageCap > 0 && query.containsKey("max_results")) {
            int maxResults = Integer.parseInt(query.get("max_results"));
            if (maxResults < 1 || maxResults > 25_000) {
                throw new Refusal(400, "INVALID_PARAMETER_VALUE", "max_results must be between 1 and 25000");
            }
            pageSize = Math.min(maxResults, historyPageCap);
        }
        int from = historyPageCap > 0 && query.containsKey("page_token") ? Integer.parseInt(query.get("page_token"))
                : 0;
        int to = Math.min(points.size(), from + pageSize);
        Service.GetMetricHistory.Response.Builder page = Service.GetMetricHistory.Response.newBuilder();
        points.subList(from, to).forEach(p -> page.addMetrics(metric(p)));
        if (to < points.size()) {
            page.setNextPageToken(Integer.toString(to));
        }
        return ok(page.build());
    }

    private Answer putArtifact(String rawPath, byte[] body) throws Refusal {
        if (!rawPath.startsWith(ARTIFACTS)) {
            throw new Refusal(404, "ENDPOINT_NOT_FOUND", "no artifact endpoint " + rawPath);
        }
        String path = URLDecoder.decode(rawPath.substring(ARTIFACTS.length()), StandardCharsets.UTF_8);
        stored.put(appendToUriPath(setup.artifactsDestination(), path), body);
        return new Answer(200, "{}");
    }

    /** One level of a run's artifacts, from the run's own location (handlers.py _list_artifacts). */
    private Answer listArtifacts(Map<String, String> query) throws Refusal, ServerError {
        Run run = existingRun(required(query.get("run_id"), "run_id"));
        if (!listable(run.artifactUri)) {
            throw new ServerError();
        }
        String path = query.getOrDefault("path", "");
        Map<String, byte[]> files = filesUnder(storageOf(run.artifactUri));
        String prefix = path.isEmpty() ? "" : path + "/";
        Map<String, Service.FileInfo> level = new TreeMap<>();
        files.forEach((file, bytes) -> {
            if (!file.startsWith(prefix)) {
                return;
            }
            String rest = file.substring(prefix.length());
            int slash = rest.indexOf('/');
            String entry = prefix + (slash < 0 ? rest : rest.substring(0, slash));
            level.put(entry, slash < 0
                    ? Service.FileInfo.newBuilder().setPath(entry).setIsDir(false).setFileSize(bytes.length).build()
                    : Service.FileInfo.newBuilder().setPath(entry).setIsDir(true).build());
        });
        return ok(Service.ListArtifacts.Response.newBuilder().setRootUri(run.artifactUri)
                .addAllFiles(level.values()).build());
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
                        .setArtifactUri(run.artifactUri).setLifecycleStage("active"))
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

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** An exception in a handler that is not an MlflowException: Flask answers its own 500 page. */
    private static final class ServerError extends Exception {
        private static final long serialVersionUID = 1L;
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
