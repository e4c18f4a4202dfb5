package io.spikeforge.runner.config;

import io.spikeforge.api.config.ChoiceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A mapping of the experiment schema: its keys in order, and the rules that involve several of them. */
final class SchemaSection {
    private final Map<String, SchemaKey> keys = new LinkedHashMap<>();
    private final List<SectionRule> rules;

    SchemaSection(List<SchemaKey> keys, List<SectionRule> rules) {
        for (SchemaKey key : keys) {
            key.condition().ifPresent(condition -> {
                SchemaKey sibling = this.keys.get(condition.sibling());
                if (sibling == null || !(sibling.type() instanceof KeyType.Value value)
                        || !(value.type() instanceof ChoiceType choice)
                        || !choice.names().containsAll(condition.values())) {
                    throw new IllegalArgumentException("key '" + key.name() + "' depends on '" + condition.sibling()
                            + "', which must be an earlier choice key offering " + condition.values());
                }
            });
            if (this.keys.put(key.name(), key) != null) {
                throw new IllegalArgumentException("key '" + key.name() + "' is declared twice");
            }
        }
        this.rules = List.copyOf(rules);
    }

    /** A section without cross-key rules. */
    static SchemaSection of(SchemaKey... keys) {
        return new SchemaSection(List.of(keys), List.of());
    }

    /** A copy with an extra rule checked after all keys are resolved. */
    SchemaSection withRule(SectionRule rule) {
        List<SectionRule> all = new ArrayList<>(rules);
        all.add(rule);
        return new SchemaSection(List.copyOf(keys.values()), all);
    }

    List<SchemaKey> keys() {
        return List.copyOf(keys.values());
    }

    List<String> keyNames() {
        return List.copyOf(keys.keySet());
    }

    Optional<SchemaKey> find(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    /** Keys that must always be given. */
    List<String> requiredKeyNames() {
        return keys.values().stream()
                .filter(k -> k.defaultValue() instanceof DefaultValue.Required && k.condition().isEmpty())
                .map(SchemaKey::name)
                .toList();
    }

    List<SectionRule> rules() {
        return rules;
    }

    /** A check over several resolved keys of a section, run once all its keys are resolved. */
    @FunctionalInterface
    interface SectionRule {
        /** Reports problems through {@code errors}; must skip checks whose inputs are invalid. */
        void check(ResolvedSection section, ConfigErrors errors);
    }
}
