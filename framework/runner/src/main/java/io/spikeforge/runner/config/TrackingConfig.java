package io.spikeforge.runner.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code tracking} section: MLflow.
 *
 * @param enabled whether runs are tracked
 * @param uri an http(s) tracking server; when empty, the tracking component uses
 *     {@code MLFLOW_TRACKING_URI} or a local {@code ./mlruns} store
 * @param experiment the MLflow experiment name (defaults to the experiment's name)
 * @param deliveryTimeout the longest the end of a run waits for its last records to reach the
 *     tracking server
 */
public record TrackingConfig(boolean enabled, Optional<URI> uri, String experiment, Duration deliveryTimeout) {
    /** Well under MLflow's own request timeout: a server that does not answer delays the end of a run little. */
    public static final long DEFAULT_DELIVERY_SECONDS = 10;

    public TrackingConfig {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
    }

    /** With the default delivery timeout. */
    public TrackingConfig(boolean enabled, Optional<URI> uri, String experiment) {
        this(enabled, uri, experiment, Duration.ofSeconds(DEFAULT_DELIVERY_SECONDS));
    }
}
