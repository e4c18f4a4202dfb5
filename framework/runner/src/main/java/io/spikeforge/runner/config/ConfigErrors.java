package io.spikeforge.runner.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects problems while an experiment is read, so that all of them are reported at once. */
final class ConfigErrors {
    private final List<ConfigError> errors = new ArrayList<>();

    void add(ConfigLocation location, String keyPath, String message) {
        errors.add(new ConfigError(location, keyPath, message));
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    ConfigException toException() {
        List<ConfigError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparing(ConfigError::location, ConfigLocation.READING_ORDER));
        return new ConfigException(sorted);
    }
}
