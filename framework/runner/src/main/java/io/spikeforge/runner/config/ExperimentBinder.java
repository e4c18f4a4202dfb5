package io.spikeforge.runner.config;

import io.spikeforge.api.config.ChoiceType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Builds the {@link Experiment} records from a resolved tree that validated without problems. The
 * schema is the one list of keys: a record field binds the key of its name in snake case
 * ({@code weightDecay} from {@code weight_decay}), so that a new key needs only its schema entry and
 * its record field. The rules, which {@link ExperimentWriter} follows back:
 * <ul>
 *   <li>a nested section binds to a record field; a sealed interface of records binds to the record
 *       whose simple name, in lower case, is the section's {@code name} ({@code multistep} ->
 *       {@link ScheduleConfig.MultiStep});</li>
 *   <li>an {@code Optional} of a record with no key of its own groups keys of the same section, and
 *       is present when they all apply ({@link ModelConfig#spiking()});</li>
 *   <li>a key that does not apply (its condition does not hold, such as a ResNet's {@code widths}
 *       for a VGG) binds an {@code Optional} field to empty and a {@code List} field to an empty list;</li>
 *   <li>integers become {@code int}s where the field says so, an optional integer an
 *       {@code OptionalInt}, an unset optional key an empty {@code Optional}, a {@link Duration}
 *       is whole seconds.</li>
 * </ul>
 * A resolved key that no field takes is a programming error, reported at the first load.
 */
final class ExperimentBinder {
    /** The key whose word selects the record of a sealed interface. */
    static final String VARIANT_KEY = "name";
    /** The top-level key whose word selects the record of an {@link Experiment}. */
    static final String KIND_KEY = "kind";

    private ExperimentBinder() {
    }

    static Experiment bind(ExperimentKind kind, ResolvedSection root) {
        Set<String> taken = new HashSet<>(Set.of(KIND_KEY));
        Object bound = bindRecord(kind.recordType(), root, taken);
        requireAllTaken(bound, root, taken);
        return (Experiment) bound;
    }

    /** The YAML key of a record field: {@code checkpointEvery} -> {@code checkpoint_every}. */
    static String keyOf(String fieldName) {
        return fieldName.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    }

    /** The record a section binds to, every resolved key of the section taken by one of its fields. */
    private static Object bindSection(Class<?> type, ResolvedSection section) {
        Set<String> taken = new HashSet<>();
        Object bound = bindRecord(variant(type, section, taken), section, taken);
        requireAllTaken(bound, section, taken);
        return bound;
    }

    private static void requireAllTaken(Object bound, ResolvedSection section, Set<String> taken) {
        List<String> left = section.keys().stream().filter(key -> !taken.contains(key)).toList();
        if (!left.isEmpty()) {
            throw new IllegalStateException("no field of " + bound.getClass().getName() + " takes the key(s) "
                    + left.stream().map(section::pathOf).toList());
        }
    }

    /** The record type itself, or for a sealed interface the record its section's name selects. */
    static Class<?> variant(Class<?> type, ResolvedSection section, Set<String> taken) {
        if (!type.isSealed()) {
            return type;
        }
        String word = ChoiceType.wordOf(section.value(VARIANT_KEY));
        taken.add(VARIANT_KEY);
        for (Class<?> candidate : type.getPermittedSubclasses()) {
            if (candidate.getSimpleName().toLowerCase(Locale.ROOT).equals(word)) {
                return candidate;
            }
        }
        throw new IllegalStateException(section.pathOf(VARIANT_KEY) + " '" + word + "' names no record of "
                + type.getName());
    }

    private static Object bindRecord(Class<?> type, ResolvedSection section, Set<String> taken) {
        if (!type.isRecord()) {
            throw new IllegalStateException(type.getName() + " is not a record: a section binds to a record");
        }
        RecordComponent[] fields = type.getRecordComponents();
        Object[] arguments = new Object[fields.length];
        Class<?>[] types = new Class<?>[fields.length];
        for (int i = 0; i < fields.length; i++) {
            types[i] = fields[i].getType();
            String key = keyOf(fields[i].getName());
            if (section.isValid(key)) {
                taken.add(key);
                arguments[i] = convert(fields[i].getGenericType(), section.value(key), section.pathOf(key));
            } else if (groupedRecord(fields[i]).isPresent()) {
                arguments[i] = group(groupedRecord(fields[i]).get(), section, taken);
            } else if (fields[i].getType() == Optional.class) {
                // a tree without problems lacks only keys that do not apply
                arguments[i] = Optional.empty();
            } else if (fields[i].getType() == List.class) {
                arguments[i] = List.of();
            } else {
                throw new IllegalStateException(type.getName() + "." + fields[i].getName() + " has no resolved key "
                        + section.pathOf(key));
            }
        }
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            return canonical.newInstance(arguments);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot build " + type.getName() + " from " + (section.path().isEmpty() ? "the top level" : section.path())
                    + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName(), e);
        }
    }

    /** The record of an {@code Optional<record>} field, whose keys stand in the field's own section. */
    static Optional<Class<?>> groupedRecord(RecordComponent field) {
        if (field.getType() == Optional.class && field.getGenericType() instanceof ParameterizedType optional
                && optional.getActualTypeArguments()[0] instanceof Class<?> inner && inner.isRecord()) {
            return Optional.of(inner);
        }
        return Optional.empty();
    }

    /** The grouped record when every key it takes applies, else empty. */
    private static Optional<Object> group(Class<?> type, ResolvedSection section, Set<String> taken) {
        for (RecordComponent field : type.getRecordComponents()) {
            if (!section.isValid(keyOf(field.getName()))) {
                return Optional.empty();
            }
        }
        return Optional.of(bindRecord(type, section, taken));
    }

    private static Object convert(Type target, Object value, String path) {
        if (target instanceof ParameterizedType generic) {
            Type argument = generic.getActualTypeArguments()[0];
            if (generic.getRawType() == Optional.class) {
                return Optional.ofNullable(value == null ? null : convert(argument, value, path));
            }
            if (generic.getRawType() == List.class) {
                List<Object> items = new ArrayList<>();
                ((List<?>) value).forEach(item -> items.add(convert(argument, item, path)));
                return List.copyOf(items);
            }
            throw new IllegalStateException(path + ": no binding to " + target);
        }
        Class<?> type = (Class<?>) target;
        if (type == OptionalInt.class) {
            return value == null ? OptionalInt.empty() : OptionalInt.of(Math.toIntExact((Long) value));
        }
        if (value == null) {
            throw new IllegalStateException(path + " is unset, but its field is not optional");
        }
        if (type == int.class || type == Integer.class) {
            return Math.toIntExact((Long) value);
        }
        if (type == Duration.class) {
            return Duration.ofSeconds((Long) value);
        }
        if (value instanceof ResolvedSection nested) {
            return bindSection(type, nested);
        }
        return wrapper(type).cast(value);
    }

    private static Class<?> wrapper(Class<?> type) {
        if (type == long.class) {
            return Long.class;
        }
        if (type == double.class) {
            return Double.class;
        }
        if (type == boolean.class) {
            return Boolean.class;
        }
        return type;
    }
}
