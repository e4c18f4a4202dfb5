package io.spikeforge.runner.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code tracking} section: MLflow.
 *
 * @param enabled whether runs are tracked
 * @param uri an http(s) tracking server; when empty, the tracking component uses
 *     {@code MLFLOW_TRACKING_URI} or a local {@code ./mlruns} store
 * @param experiment the MLflow experiment name (defaults to the experiment's name)
 */
public record TrackingConfig(boolean enabled, Optional<URI> uri, String experiment) {
    public TrackingConfig {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(experiment, "experiment");
    }
}
