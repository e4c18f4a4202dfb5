package io.spikeforge.runner.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A section after validation: each valid, applicable key's resolved value (keys with problems and
 * keys that do not apply are absent), with the nodes as written for locating later problems.
 */
final class ResolvedSection {
    private final String path;
    private final ConfigLocation location;
    private final ConfigNode.Mapping given;
    private final Map<String, Object> values = new LinkedHashMap<>();

    /**
     * @param path the section's dotted path, empty for the top level
     * @param location where the section's key was written, where problems with absent keys are reported
     * @param given the section as written
     */
    ResolvedSection(String path, ConfigLocation location, ConfigNode.Mapping given) {
        this.path = Objects.requireNonNull(path, "path");
        this.location = Objects.requireNonNull(location, "location");
        this.given = Objects.requireNonNull(given, "given");
    }

    ConfigLocation location() {
        return location;
    }

    ConfigNode.Mapping given() {
        return given;
    }

    /** The section's dotted path, empty for the top level. */
    String path() {
        return path;
    }

    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Where {@code key} was written, or the section's location when it was not. */
    ConfigLocation keyLocation(String key) {
        return given.entry(key).map(ConfigNode.Entry::keyLocation).orElse(location);
    }

    /** The value of {@code key} as written, if it was. */
    Optional<ConfigNode> given(String key) {
        return given.entry(key).map(ConfigNode.Entry::value);
    }

    void put(String key, Object value) {
        values.put(key, value);
    }

    /** The keys that apply and resolved without problems, in schema order. */
    List<String> keys() {
        return List.copyOf(values.keySet());
    }

    /** True when {@code key} applies and resolved without problems. */
    boolean isValid(String key) {
        return values.containsKey(key);
    }

    /** The resolved value, null when the key is unset, disabled, invalid or does not apply. */
    Object value(String key) {
        return values.get(key);
    }

    ResolvedSection section(String key) {
        return (ResolvedSection) require(key);
    }

    long longValue(String key) {
        return (Long) require(key);
    }

    int intValue(String key) {
        return Math.toIntExact(longValue(key));
    }

    double doubleValue(String key) {
        return (Double) require(key);
    }

    boolean booleanValue(String key) {
        return (Boolean) require(key);
    }

    <T> T get(String key, Class<T> type) {
        return type.cast(require(key));
    }

    /** A resolved list of integers as {@code int}s. */
    List<Integer> intList(String key) {
        return ((List<?>) require(key)).stream().map(v -> Math.toIntExact((Long) v)).toList();
    }

    /** An optional value: empty when the key is unset (or the slot is disabled). */
    <T> Optional<T> optional(String key, Class<T> type) {
        if (!values.containsKey(key)) {
            throw new IllegalStateException(pathOf(key) + " was not resolved");
        }
        return Optional.ofNullable(type.cast(values.get(key)));
    }

    private Object require(String key) {
        Object value = values.get(key);
        if (value == null) {
            throw new IllegalStateException(pathOf(key) + " has no resolved value");
        }
        return value;
    }
}
