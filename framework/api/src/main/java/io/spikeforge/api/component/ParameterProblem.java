package io.spikeforge.api.component;

import java.util.Objects;

/**
 * One thing wrong with a component's parameters.
 *
 * @param key the parameter's key relative to the component's YAML block (for example {@code decay}),
 *     or an empty string when the problem concerns the block as a whole
 * @param message what is wrong and what is allowed
 */
public record ParameterProblem(String key, String message) {
    public ParameterProblem {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return key.isEmpty() ? message : key + ": " + message;
    }
}
