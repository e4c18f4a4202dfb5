package io.spikeforge.runner.config;

import java.util.Objects;

/**
 * The {@code experiment} section: what the run is called and how it is seeded.
 *
 * @param name letters, digits, '.', '_' and '-'
 * @param seed seed of every random number generator, {@code >= 0}
 * @param description free text, empty when not given
 */
public record ExperimentInfo(String name, long seed, String description) {
    public ExperimentInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
    }
}
