package io.spikeforge.runner.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An experiment as written, before validation: mappings, lists and scalars, each with the location
 * of its value (and, for mapping entries, of its key). Immutable; overrides build modified copies.
 */
sealed interface ConfigNode permits ConfigNode.Mapping, ConfigNode.Sequence, ConfigNode.Scalar {

    ConfigLocation location();

    /** A key of a mapping with its value. */
    record Entry(String key, ConfigLocation keyLocation, ConfigNode value) {
        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(keyLocation, "keyLocation");
            Objects.requireNonNull(value, "value");
        }
    }

    /** A mapping, keys in the order written. */
    record Mapping(List<Entry> entries, ConfigLocation location) implements ConfigNode {
        public Mapping {
            entries = List.copyOf(entries);
            Objects.requireNonNull(location, "location");
        }

        static Mapping empty(ConfigLocation location) {
            return new Mapping(List.of(), location);
        }

        Optional<Entry> entry(String key) {
            return entries.stream().filter(e -> e.key().equals(key)).findFirst();
        }

        /** A copy with {@code entry} replacing the entry of the same key in place, or appended. */
        Mapping with(Entry entry) {
            Map<String, Entry> byKey = new LinkedHashMap<>();
            entries.forEach(e -> byKey.put(e.key(), e));
            byKey.put(entry.key(), entry);
            return new Mapping(new ArrayList<>(byKey.values()), location);
        }

        Mapping without(String key) {
            return new Mapping(entries.stream().filter(e -> !e.key().equals(key)).toList(), location);
        }
    }

    /** A list. */
    record Sequence(List<ConfigNode> items, ConfigLocation location) implements ConfigNode {
        public Sequence {
            items = List.copyOf(items);
            Objects.requireNonNull(location, "location");
        }
    }

    /**
     * A single value.
     *
     * @param value null, Boolean, Integer, Long, BigInteger, Double or String
     * @param text the value as written, for messages
     */
    record Scalar(Object value, String text, ConfigLocation location) implements ConfigNode {
        public Scalar {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(location, "location");
        }

        boolean isNull() {
            return value == null;
        }

        boolean isString() {
            return value instanceof String;
        }

        boolean isInteger() {
            return value instanceof Integer || value instanceof Long || value instanceof BigInteger;
        }
    }

    /** Describes a node with its type, for messages: "the string 'four'", "a list". */
    static String describe(ConfigNode node) {
        if (node instanceof Mapping) {
            return "a mapping";
        }
        if (node instanceof Sequence) {
            return "a list";
        }
        Scalar scalar = (Scalar) node;
        Object value = scalar.value();
        if (value == null) {
            return "nothing (null)";
        }
        if (value instanceof String) {
            return "the string '" + value + "'";
        }
        if (value instanceof Boolean) {
            return "the boolean " + scalar.text();
        }
        if (scalar.isInteger()) {
            return "the integer " + scalar.text();
        }
        return "the number " + scalar.text();
    }

    /**
     * The node as plain Java values (null, Boolean, Integer, Long, BigInteger, Double, String, List,
     * Map), the form component providers validate.
     */
    static Object toPlain(ConfigNode node) {
        if (node instanceof Scalar scalar) {
            return scalar.value();
        }
        if (node instanceof Sequence sequence) {
            List<Object> items = new ArrayList<>();
            sequence.items().forEach(item -> items.add(toPlain(item)));
            return items;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        ((Mapping) node).entries().forEach(e -> map.put(e.key(), toPlain(e.value())));
        return map;
    }
}
