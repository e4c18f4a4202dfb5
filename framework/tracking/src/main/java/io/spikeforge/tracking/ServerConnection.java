package io.spikeforge.tracking;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach an MLflow tracking server.
 *
 * @param uri the server, {@code http://host:port} or {@code https://...}
 * @param connectTimeout the longest wait for a connection
 * @param readTimeout the longest wait for an answer to a request (an artifact upload gets one more
 *     second per MiB)
 * @param maxAttempts tries per request (at least 1); see {@link MlflowRestClient} for which are retried
 * @param retryBackoff the pause before the second try, doubled before each further one
 * @param authorization the {@code Authorization} header, if the server wants one
 */
public record ServerConnection(URI uri, Duration connectTimeout, Duration readTimeout, int maxAttempts,
                               Duration retryBackoff, Optional<String> authorization) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_ATTEMPTS = 3;
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(500);

    public ServerConnection {
        Objects.requireNonNull(uri, "uri");
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("an MLflow tracking server URI is http:// or https://, not " + uri);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        Objects.requireNonNull(authorization, "authorization");
    }

    /**
     * A connection with the settings MLflow's own clients take from the environment:
     * {@code MLFLOW_TRACKING_TOKEN} (bearer token) or {@code MLFLOW_TRACKING_USERNAME} and
     * {@code MLFLOW_TRACKING_PASSWORD} (basic authentication), {@code MLFLOW_HTTP_REQUEST_TIMEOUT}
     * (seconds, the read timeout) and {@code MLFLOW_HTTP_REQUEST_MAX_RETRIES}.
     */
    public static ServerConnection of(URI uri, Map<String, String> environment) {
        Optional<String> authorization = Optional.ofNullable(environment.get("MLFLOW_TRACKING_TOKEN"))
                .map(token -> "Bearer " + token)
                .or(() -> Optional.ofNullable(environment.get("MLFLOW_TRACKING_USERNAME"))
                        .map(user -> "Basic " + Base64.getEncoder().encodeToString(
                                (user + ":" + environment.getOrDefault("MLFLOW_TRACKING_PASSWORD", ""))
                                        .getBytes(StandardCharsets.UTF_8))));
        Duration readTimeout = Optional.ofNullable(environment.get("MLFLOW_HTTP_REQUEST_TIMEOUT"))
                .map(seconds -> Duration.ofSeconds(parse("MLFLOW_HTTP_REQUEST_TIMEOUT", seconds, 1)))
                .orElse(DEFAULT_READ_TIMEOUT);
        int attempts = Optional.ofNullable(environment.get("MLFLOW_HTTP_REQUEST_MAX_RETRIES"))
                .map(retries -> parse("MLFLOW_HTTP_REQUEST_MAX_RETRIES", retries, 0) + 1)
                .orElse(DEFAULT_ATTEMPTS);
        return new ServerConnection(uri, DEFAULT_CONNECT_TIMEOUT, readTimeout, attempts, DEFAULT_RETRY_BACKOFF,
                authorization);
    }

    public ServerConnection withTimeouts(Duration connect, Duration read) {
        return new ServerConnection(uri, connect, read, maxAttempts, retryBackoff, authorization);
    }

    public ServerConnection withRetries(int attempts, Duration backoff) {
        return new ServerConnection(uri, connectTimeout, readTimeout, attempts, backoff, authorization);
    }

    /** The URI without a trailing slash: how ledgers and messages name the server. */
    public String name() {
        String text = uri.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /** Leaves the credentials out. */
    @Override
    public String toString() {
        return "ServerConnection[" + name() + ", connect " + connectTimeout + ", read " + readTimeout + ", "
                + maxAttempts + " attempts" + (authorization.isPresent() ? ", with credentials" : "") + "]";
    }

    private static int parse(String variable, String value, int minimum) {
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= minimum) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(variable + " must be an integer of at least " + minimum + ", not '"
                + value + "'");
    }
}
