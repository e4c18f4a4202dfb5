package io.spikeforge.runner.config;

import java.util.List;
import java.util.stream.Collectors;

/** An experiment cannot be loaded; carries every problem found, in reading order. */
public class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<ConfigError> errors;

    /** Creates the exception from one or more problems. */
    public ConfigException(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    /** The problems, in reading order. */
    public List<ConfigError> errors() {
        return errors;
    }
}
