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
 *     tracking server ({@code TrackingOptions.DEFAULT_DELIVERY_TIMEOUT} unless the file says otherwise)
 */
public record TrackingConfig(boolean enabled, Optional<URI> uri, String experiment, Duration deliveryTimeout) {
    public TrackingConfig {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
    }
}
