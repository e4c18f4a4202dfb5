package io.spikeforge.runner.config;

import io.spikeforge.api.config.ValueType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One key of the experiment schema.
 *
 * @param name the YAML key
 * @param type what it accepts
 * @param defaultValue what an absent key resolves to
 * @param condition when present, the key exists only while a sibling choice has one of some values
 * @param description one line for the docs
 */
record SchemaKey(String name, KeyType type, DefaultValue defaultValue, Optional<Condition> condition,
                 String description) {
    SchemaKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(description, "description");
    }

    static SchemaKey required(String name, ValueType type, String description) {
        return new SchemaKey(name, new KeyType.Value(type), new DefaultValue.Required(), Optional.empty(), description);
    }

    static SchemaKey withDefault(String name, ValueType type, Object defaultValue, String description) {
        return withDefault(name, new KeyType.Value(type), defaultValue, description);
    }

    static SchemaKey withDefault(String name, KeyType type, Object defaultValue, String description) {
        return new SchemaKey(name, type, new DefaultValue.Fixed(defaultValue), Optional.empty(), description);
    }

    static SchemaKey optional(String name, ValueType type, String description) {
        return optional(name, new KeyType.Value(type), description);
    }

    static SchemaKey optional(String name, KeyType type, String description) {
        return new SchemaKey(name, type, new DefaultValue.Unset(), Optional.empty(), description);
    }

    static SchemaKey computed(String name, ValueType type, DefaultValue.Computed defaultValue, String description) {
        return computed(name, new KeyType.Value(type), defaultValue, description);
    }

    static SchemaKey computed(String name, KeyType type, DefaultValue.Computed defaultValue, String description) {
        return new SchemaKey(name, type, defaultValue, Optional.empty(), description);
    }

    static SchemaKey section(String name, SchemaSection section, String description) {
        return new SchemaKey(name, new KeyType.Section(section), new DefaultValue.FromType(), Optional.empty(),
                description);
    }

    static SchemaKey slot(String name, SlotType slot, String description) {
        return new SchemaKey(name, slot, new DefaultValue.FromType(), Optional.empty(), description);
    }

    /** This key, existing only while the sibling choice {@code sibling} is one of {@code values}. */
    SchemaKey onlyWhen(String sibling, String... values) {
        return new SchemaKey(name, type, defaultValue, Optional.of(new Condition(sibling, List.of(values))),
                description);
    }

    /**
     * The key applies only while a sibling choice key has one of some values.
     *
     * @param sibling the choice key in the same section, declared earlier
     * @param values the words under which the key applies
     */
    record Condition(String sibling, List<String> values) {
        Condition {
            Objects.requireNonNull(sibling, "sibling");
            values = List.copyOf(values);
        }

        /** "step" or "multistep or step". */
        String valuesPhrase() {
            return String.join(" or ", values);
        }
    }
}
