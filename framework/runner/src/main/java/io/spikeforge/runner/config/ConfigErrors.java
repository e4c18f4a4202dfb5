package io.spikeforge.runner.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects problems while an experiment is read, so that all of them are reported at once, and the
 * warnings about things that do not stop it (a CIFAR folder that does not exist yet).
 */
final class ConfigErrors {
    private final List<ConfigError> errors = new ArrayList<>();
    private final List<ConfigError> warnings = new ArrayList<>();

    void add(ConfigLocation location, String keyPath, String message) {
        errors.add(new ConfigError(location, keyPath, message));
    }

    /** Notes something that does not make the experiment invalid but that its user should know. */
    void warn(ConfigLocation location, String keyPath, String message) {
        warnings.add(new ConfigError(location, keyPath, message));
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    /** The warnings, in reading order. */
    List<ConfigError> warnings() {
        return inReadingOrder(warnings);
    }

    ConfigException toException() {
        return new ConfigException(inReadingOrder(errors));
    }

    private static List<ConfigError> inReadingOrder(List<ConfigError> problems) {
        List<ConfigError> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparing(ConfigError::location, ConfigLocation.READING_ORDER));
        return sorted;
    }
}
