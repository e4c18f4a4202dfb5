package io.spikeforge.runner.config;

import io.spikeforge.api.config.ChoiceType;
import io.spikeforge.runner.plugin.ComponentRegistry;
import java.util.List;
import java.util.Optional;

/**
 * Walks a configuration tree along the schema: reports unknown keys, wrong types, values out of
 * range, keys that belong to another choice and cross-key rule violations, all of them, and resolves
 * every key (defaults filled in).
 */
final class SchemaValidator {
    private final ComponentRegistry registry;
    private final ConfigErrors errors;
    private ResolvedSection root;
    private ExperimentKind kind;

    SchemaValidator(ComponentRegistry registry, ConfigErrors errors) {
        this.registry = registry;
        this.errors = errors;
    }

    ComponentRegistry registry() {
        return registry;
    }

    ConfigErrors errors() {
        return errors;
    }

    /**
     * Validates a whole experiment.
     *
     * @param start where problems with absent top-level keys are reported
     * @return the resolved top level; complete only when no problem was reported
     */
    ResolvedSection validate(ExperimentKind kind, ConfigNode.Mapping document, ConfigLocation start) {
        root = null;
        this.kind = kind;
        return section(ExperimentSchema.root(kind), "", document, start);
    }

    /** Validates one section; see {@link ResolvedSection#ResolvedSection} for the parameters. */
    ResolvedSection section(SchemaSection schema, String path, ConfigNode.Mapping given, ConfigLocation location) {
        ResolvedSection resolved = new ResolvedSection(path, location, given);
        if (root == null) {
            root = resolved;
        }
        for (ConfigNode.Entry entry : given.entries()) {
            if (schema.find(entry.key()).isEmpty()) {
                errors.add(entry.keyLocation(), resolved.pathOf(entry.key()), path.isEmpty()
                        ? unknownTopLevelKeyMessage(schema, entry.key()) : unknownKeyMessage(schema, entry.key()));
            }
        }
        for (SchemaKey key : schema.keys()) {
            resolveKey(key, resolved);
        }
        schema.rules().forEach(rule -> rule.check(resolved, errors));
        return resolved;
    }

    private void resolveKey(SchemaKey key, ResolvedSection section) {
        Optional<ConfigNode.Entry> entry = section.given().entry(key.name());
        if (key.condition().isPresent()) {
            SchemaKey.Condition condition = key.condition().get();
            if (!section.isValid(condition.sibling())) {
                // The choice itself is wrong and reported; whether this key applies is unknown.
                return;
            }
            String chosen = ChoiceType.wordOf(section.value(condition.sibling()));
            if (!condition.values().contains(chosen)) {
                entry.ifPresent(e -> errors.add(e.keyLocation(), section.pathOf(key.name()),
                        "applies only when " + condition.sibling() + " is " + condition.valuesPhrase() + ", but "
                                + section.pathOf(condition.sibling()) + " is " + chosen));
                return;
            }
        }
        KeyContext context = new KeyContext(this, section.pathOf(key.name()),
                entry.map(ConfigNode.Entry::keyLocation).orElse(section.location()));
        Object value;
        if (entry.isEmpty()) {
            value = resolveAbsent(key, section, context);
        } else if (entry.get().value() instanceof ConfigNode.Scalar scalar && scalar.isNull()
                && !key.type().acceptsNull()) {
            value = key.defaultValue() instanceof DefaultValue.Fixed fixed
                    ? context.error("has no value; expected " + key.type().allowed() + " (remove the key to use the"
                            + " default " + YamlText.scalar(fixed.value()) + ")")
                    : resolveAbsent(key, section, context);
        } else {
            value = key.type().resolve(entry.get().value(), context);
        }
        if (value != KeyType.INVALID) {
            section.put(key.name(), value);
        }
    }

    private Object resolveAbsent(SchemaKey key, ResolvedSection section, KeyContext context) {
        DefaultValue defaultValue = key.defaultValue();
        if (defaultValue instanceof DefaultValue.Required) {
            return context.error("is required: expected " + key.type().allowed());
        }
        if (defaultValue instanceof DefaultValue.Fixed fixed) {
            return fixed.value();
        }
        if (defaultValue instanceof DefaultValue.Unset) {
            return null;
        }
        if (defaultValue instanceof DefaultValue.Computed computed) {
            Object value = computed.compute().apply(section, root);
            return value == null ? KeyType.INVALID : value;
        }
        return key.type().resolveAbsent(context);
    }

    /** A top-level key is often another kind's: say so, and which kind this is. */
    private String unknownTopLevelKeyMessage(SchemaSection schema, String key) {
        List<String> others = java.util.Arrays.stream(ExperimentKind.values())
                .filter(other -> other != kind && ExperimentSchema.root(other).find(key).isPresent())
                .map(ExperimentKind::yamlName)
                .toList();
        if (others.isEmpty()) {
            return unknownKeyMessage(schema, key) + " (the keys of kind " + kind.yamlName() + ")";
        }
        return "is not a key of kind " + kind.yamlName() + " but of kind " + String.join(" or ", others)
                + " (set kind: " + others.get(0) + " for that); the keys of kind " + kind.yamlName() + ": "
                + String.join(", ", schema.keyNames());
    }

    private static String unknownKeyMessage(SchemaSection schema, String key) {
        List<String> allowed = schema.keyNames();
        String hint = Messages.suggestion(key, allowed);
        if (hint.equals("; ")) {
            // A key one level too high, such as `lr` directly under `training`.
            for (SchemaKey candidate : schema.keys()) {
                if (candidate.type() instanceof KeyType.Section nested
                        && nested.section().find(key).isPresent()) {
                    hint = "; did you mean '" + candidate.name() + "." + key + "'? ";
                    break;
                }
            }
        }
        return "unknown key" + hint + "allowed keys: " + String.join(", ", allowed);
    }
}
