package io.spikeforge.runner.config;

import java.util.Objects;

/**
 * One problem with an experiment, or a warning about one (see
 * {@link ExperimentLoader#load(java.nio.file.Path, java.util.List, java.util.function.Consumer)}).
 *
 * @param location where the offending key or value was written
 * @param keyPath the dotted key it concerns ({@code student.model.timesteps}, with {@code [i]} for a
 *     list element), or an empty string for problems with the file as a whole
 * @param message what is wrong and what is allowed
 */
public record ConfigError(ConfigLocation location, String keyPath, String message) {
    public ConfigError {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(keyPath, "keyPath");
        Objects.requireNonNull(message, "message");
    }

    /** The problem as one line: {@code file:line:column: key.path: message}. */
    @Override
    public String toString() {
        return location + ": " + (keyPath.isEmpty() ? "" : keyPath + ": ") + message;
    }
}
