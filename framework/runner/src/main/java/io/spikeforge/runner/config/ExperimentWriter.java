package io.spikeforge.runner.config;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns an {@link Experiment} back into its keys and values, in schema order, for
 * {@link Experiment#toYaml()} and {@link Experiment#flatten()}: every key of the schema whose value
 * the records hold, so that a key added to the schema and its record is written too.
 */
final class ExperimentWriter {
    private ExperimentWriter() {
    }

    static String toYaml(Experiment experiment) {
        return YamlText.write(forYaml(tree(experiment)));
    }

    static Map<String, String> flatten(Experiment experiment) {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", tree(experiment), flat);
        return flat;
    }

    /**
     * The experiment's keys in schema order, read back from its records by the binder's rules
     * ({@link ExperimentBinder}); keys that do not apply (another schedule's, a spiking model's for
     * an ANN) are left out. Slots stay {@code Optional<ComponentSlot>}; everything else is a scalar,
     * a list or a nested map.
     */
    private static Map<String, Object> tree(Experiment experiment) {
        return section(ExperimentSchema.root(experiment.kind()), experiment, "");
    }

    private static Map<String, Object> section(SchemaSection schema, Object record, String path) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (SchemaKey key : schema.keys()) {
            String keyPath = path.isEmpty() ? key.name() : path + "." + key.name();
            Optional<Object> value = field(record, key.name());
            if (value.isEmpty()) {
                if (key.condition().isEmpty()) {
                    throw new IllegalStateException("no field of " + record.getClass().getName() + " holds " + keyPath);
                }
                continue;
            }
            Object written = value.get();
            if (key.condition().isPresent() && (Optional.empty().equals(written) || List.of().equals(written))) {
                continue; // a key that does not apply, such as a ResNet's widths for a VGG
            }
            if (key.type() instanceof KeyType.Section nested) {
                out.put(key.name(), section(nested.section(), written, keyPath));
            } else if (key.type() instanceof SlotType) {
                out.put(key.name(), written instanceof Optional<?> slot ? slot : Optional.of(written));
            } else {
                out.put(key.name(), plain(written));
            }
        }
        return out;
    }

    /**
     * The value of a key in a record: its accessor ({@code weight_decay} -> {@code weightDecay()}),
     * or the key's in a present grouped record; empty when the record does not hold the key.
     */
    private static Optional<Object> field(Object record, String key) {
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            if (ExperimentBinder.keyOf(component.getName()).equals(key)) {
                return Optional.of(read(component.getAccessor(), record));
            }
        }
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            if (ExperimentBinder.groupedRecord(component).isPresent()) {
                Optional<?> group = (Optional<?>) read(component.getAccessor(), record);
                Optional<Object> inner = group.flatMap(g -> field(g, key));
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        // A variant of a sealed interface names itself: ScheduleConfig.name(), Experiment.kind().
        for (Class<?> variantOf : record.getClass().getInterfaces()) {
            if (variantOf.isSealed() && (key.equals(ExperimentBinder.VARIANT_KEY)
                    || variantOf == Experiment.class && key.equals(ExperimentBinder.KIND_KEY))) {
                try {
                    return Optional.of(read(variantOf.getMethod(key), record));
                } catch (NoSuchMethodException e) {
                    throw new IllegalStateException(variantOf.getName() + " lacks " + key + "()", e);
                }
            }
        }
        return Optional.empty();
    }

    private static Object read(Method accessor, Object record) {
        try {
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + accessor, e);
        }
    }

    /** A record field's value as the schema resolves it: unset as null, a duration in seconds. */
    private static Object plain(Object value) {
        if (value instanceof Optional<?> optional) {
            return optional.map(ExperimentWriter::plain).orElse(null);
        }
        if (value instanceof OptionalInt optional) {
            return optional.isPresent() ? (Object) optional.getAsInt() : null;
        }
        if (value instanceof Duration duration) {
            return duration.toSeconds();
        }
        return value;
    }

    private static Map<String, Object> forYaml(Map<?, ?> tree) {
        Map<String, Object> out = new LinkedHashMap<>();
        tree.forEach((key, value) -> {
            if (value instanceof Optional<?> slot) {
                out.put((String) key, slot.map(s -> slotBlock((ComponentSlot) s)).orElse(SlotType.DISABLED));
            } else if (value instanceof Map<?, ?> nested) {
                out.put((String) key, forYaml(nested));
            } else {
                out.put((String) key, value);
            }
        });
        return out;
    }

    /** The id, the plugin that supplied the component, and every parameter the component uses. */
    private static Object slotBlock(ComponentSlot slot) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put(SlotType.ID_KEY, slot.id());
        block.put(SlotType.PLUGIN_KEY, slot.component().pluginId());
        block.put(SlotType.PLUGIN_VERSION_KEY, slot.component().pluginVersion());
        block.putAll(slot.parameters().asMap());
        return block;
    }

    private static void flatten(String prefix, Map<?, ?> tree, Map<String, String> out) {
        tree.forEach((key, value) -> {
            String path = prefix + key;
            if (value instanceof Optional<?> slot) {
                if (slot.isPresent()) {
                    out.putAll(((ComponentSlot) slot.get()).provenance().flatten(path));
                } else {
                    out.put(path + "." + SlotType.ID_KEY, SlotType.DISABLED);
                }
            } else if (value instanceof Map<?, ?> nested) {
                flatten(path + ".", nested, out);
            } else {
                out.put(path, YamlText.text(value));
            }
        });
    }
}
