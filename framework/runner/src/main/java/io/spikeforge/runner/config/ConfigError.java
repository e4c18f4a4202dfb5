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

    /**
     * The error a message of the form {@code key.path: what} describes, at {@code location}; a
     * message without such a key is the error of {@code fallbackKey}.
     */
    public static ConfigError ofKeyedMessage(ConfigLocation location, String message, String fallbackKey) {
        int colon = message.indexOf(": ");
        String key = colon > 0 ? message.substring(0, colon) : "";
        return key.matches("[A-Za-z0-9_.\\[\\]]+") ? new ConfigError(location, key, message.substring(colon + 2))
                : new ConfigError(location, fallbackKey, message);
    }

    /** The problem as one line: {@code file:line:column: key.path: message}. */
    @Override
    public String toString() {
        return location + ": " + (keyPath.isEmpty() ? "" : keyPath + ": ") + message;
    }
}
