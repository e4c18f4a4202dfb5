package io.spikeforge.tracking;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and how runs are tracked; {@link #resolve} derives them from an experiment's tracking
 * settings and the environment, as MLflow's own clients do.
 *
 * @param enabled whether runs are recorded at all
 * @param server the tracking server, if runs go to one; else they go to {@code localStore}
 * @param localStore the file store used without a server ({@code ./mlruns})
 * @param spool the file store that holds runs on their way to the server ({@code ./mlruns-spool})
 * @param flushInterval how often buffered points are written and new records sent
 * @param retryInterval how long the sender leaves a failed server alone before trying again
 * @param deliveryTimeout the longest the end of a run waits for its last records to reach the server,
 *     all requests together; what is left waits in the spool
 * @param user the user name recorded with runs
 * @param clock the clock of timestamps
 * @param ids the source of new run and experiment ids
 */
public record TrackingOptions(boolean enabled, Optional<ServerConnection> server, Path localStore, Path spool,
                              Duration flushInterval, Duration retryInterval, Duration deliveryTimeout, String user,
                              Clock clock, IdSource ids) {
    /** MLflow's variable for the tracking server (or local store) when the experiment names none. */
    public static final String TRACKING_URI_VARIABLE = "MLFLOW_TRACKING_URI";
    public static final String LOCAL_STORE = "mlruns";
    public static final String SPOOL = "mlruns-spool";
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofMinutes(1);
    /** Well under MLflow's own request timeout: a server that does not answer delays the end of a run little. */
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(10);

    /** A URI scheme; a single letter before the colon is a Windows drive, not a scheme. */
    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]+):");
    private static final Pattern HOST_AND_PORT = Pattern.compile("[A-Za-z0-9.-]+:\\d{1,5}(/.*)?");

    public TrackingOptions {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(localStore, "localStore");
        Objects.requireNonNull(spool, "spool");
        Objects.requireNonNull(flushInterval, "flushInterval");
        Objects.requireNonNull(retryInterval, "retryInterval");
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(ids, "ids");
    }

    /**
     * The options of an experiment: its tracking URI ({@code tracking.uri} in a Spikeforge
     * experiment), else {@code MLFLOW_TRACKING_URI},
     * names the destination. An {@code http(s)} URI is a server (settings from
     * {@link ServerConnection#of}); a {@code file:} URI or a plain path is a local store; neither
     * means {@code ./mlruns}. Relative paths, and the spool {@code ./mlruns-spool}, are taken from
     * {@code workingDirectory}.
     *
     * @throws IllegalArgumentException for a URI of another kind ({@code databricks}, a database,
     *     {@code host:port} without a scheme), or server settings in the environment that are not
     *     numbers; the message names where the value came from
     * @param enabled whether runs are recorded at all
     * @param configuredUri the experiment's tracking URI, if it names one
     * @param deliveryTimeout see {@link #deliveryTimeout()}
     */
    public static TrackingOptions resolve(boolean enabled, Optional<URI> configuredUri, Duration deliveryTimeout,
                                          Map<String, String> environment, Path workingDirectory) {
        Optional<String> fromConfig = configuredUri.map(URI::toString);
        Optional<String> uri = fromConfig
                .or(() -> Optional.ofNullable(environment.get(TRACKING_URI_VARIABLE)).filter(s -> !s.isBlank()));
        String source = fromConfig.isPresent() ? "tracking.uri" : TRACKING_URI_VARIABLE;
        Path localStore = workingDirectory.resolve(LOCAL_STORE);
        Optional<ServerConnection> server = Optional.empty();
        if (uri.isPresent()) {
            String value = uri.get().strip();
            Matcher scheme = SCHEME.matcher(value);
            if (value.equals("databricks") || value.equals("databricks-uc")) {
                throw new IllegalArgumentException(unsupported(source, value));
            } else if (!scheme.find()) {
                localStore = workingDirectory.resolve(value);
            } else {
                switch (scheme.group(1).toLowerCase(Locale.ROOT)) {
                    case "http", "https" -> server = Optional.of(server(source, value, environment));
                    case "file" -> {
                        URI file = URI.create(value);
                        localStore = file.isOpaque() ? workingDirectory.resolve(file.getSchemeSpecificPart())
                                : Path.of(file);
                    }
                    default -> throw new IllegalArgumentException(unsupported(source, value));
                }
            }
        }
        return new TrackingOptions(enabled, server, localStore, workingDirectory.resolve(SPOOL),
                DEFAULT_FLUSH_INTERVAL, DEFAULT_RETRY_INTERVAL, deliveryTimeout,
                System.getProperty("user.name", "unknown"), Clock.systemUTC(), IdSource.random());
    }

    private static ServerConnection server(String source, String value, Map<String, String> environment) {
        URI parsed;
        try {
            parsed = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(source + " is '" + value + "', not a valid URI: "
                    + e.getMessage(), e);
        }
        if (parsed.getHost() == null) {
            throw new IllegalArgumentException(source + " is '" + value + "', an http(s) URI without a host; "
                    + "a server is written like http://localhost:5000");
        }
        return ServerConnection.of(parsed, environment);
    }

    private static String unsupported(String source, String uri) {
        String message = source + " is '" + uri + "': Spikeforge tracks to an http(s) MLflow server, a file: URI "
                + "or a folder, not to this kind of URI";
        // host:port parses as a URI whose scheme is the host name, for MLflow as for Java
        if (HOST_AND_PORT.matcher(uri).matches()) {
            message += "; a server is written with its scheme: http://" + uri;
        }
        return message;
    }

    public TrackingOptions withServer(Optional<ServerConnection> newServer) {
        return new TrackingOptions(enabled, newServer, localStore, spool, flushInterval, retryInterval, deliveryTimeout,
                user, clock, ids);
    }

    public TrackingOptions withStores(Path newLocalStore, Path newSpool) {
        return new TrackingOptions(enabled, server, newLocalStore, newSpool, flushInterval, retryInterval,
                deliveryTimeout, user, clock, ids);
    }

    public TrackingOptions withIntervals(Duration flush, Duration retry, Duration delivery) {
        return new TrackingOptions(enabled, server, localStore, spool, flush, retry, delivery, user, clock, ids);
    }

    /** Fixed user, clock and ids: for reproducible stores in tests. */
    public TrackingOptions withIdentity(String newUser, Clock newClock, IdSource newIds) {
        return new TrackingOptions(enabled, server, localStore, spool, flushInterval, retryInterval, deliveryTimeout,
                newUser, newClock, newIds);
    }
}
