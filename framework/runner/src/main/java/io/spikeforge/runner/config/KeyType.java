package io.spikeforge.runner.config;

import io.spikeforge.api.config.IntegerType;
import io.spikeforge.api.config.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a schema key holds: a value of one of the configuration {@link ValueType}s shared with
 * component parameters, a list of integers, a nested section, or a component slot. The value types
 * say what a value may be; this says where in the tree it is and where its problems are reported.
 */
sealed interface KeyType permits KeyType.Value, KeyType.IntegerList, KeyType.Section, SlotType {

    /** Returned by {@link #resolve} after reporting a problem; null is a legitimate value (a disabled slot). */
    Object INVALID = new Object();

    /** What is allowed, as a phrase for messages and docs: "an integer in [1, 64]". */
    String allowed();

    /**
     * Checks a value and converts it to its resolved form (what the value type resolves to, a List
     * of Long, a {@link ResolvedSection} or a {@link ComponentSlot}).
     *
     * @return the resolved value, or {@link #INVALID} after reporting the problem through {@code context}
     */
    Object resolve(ConfigNode value, KeyContext context);

    /** True when the type gives an explicit null its own meaning instead of "not set". */
    default boolean acceptsNull() {
        return false;
    }

    /** The value of an absent key whose default comes from the type itself (sections and slots). */
    default Object resolveAbsent(KeyContext context) {
        throw new IllegalStateException(getClass().getSimpleName() + " has no default of its own");
    }

    /** A single value of a configuration value type; its problems are reported at the key. */
    record Value(ValueType type) implements KeyType {
        public Value {
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String allowed() {
            return type.allowed();
        }

        @Override
        public Object resolve(ConfigNode value, KeyContext context) {
            return context.accept(type.check(ConfigNode.toPlain(value)), value);
        }
    }

    /** A list of integers, each within the element's bounds, optionally strictly increasing. */
    record IntegerList(IntegerType element, boolean strictlyIncreasing) implements KeyType {
        public IntegerList {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public String allowed() {
            return "a list of integers " + element.rangePhrase() + (strictlyIncreasing ? ", strictly increasing" : "");
        }

        @Override
        public Object resolve(ConfigNode value, KeyContext context) {
            if (!(value instanceof ConfigNode.Sequence sequence)) {
                return context.expected(allowed(), value);
            }
            List<Long> numbers = new ArrayList<>();
            boolean valid = true;
            for (int i = 0; i < sequence.items().size(); i++) {
                ConfigNode item = sequence.items().get(i);
                KeyContext itemContext = context.element(i, item);
                Object number = itemContext.accept(element.check(ConfigNode.toPlain(item)), item);
                if (number == INVALID) {
                    valid = false;
                    continue;
                }
                long current = (Long) number;
                if (strictlyIncreasing && !numbers.isEmpty() && current <= numbers.get(numbers.size() - 1)) {
                    itemContext.error("must be greater than the value before it (" + numbers.get(numbers.size() - 1)
                            + "): expected " + allowed());
                    valid = false;
                }
                numbers.add(current);
            }
            return valid ? List.copyOf(numbers) : INVALID;
        }
    }

    /** A nested section; absent or null means "all defaults". */
    record Section(SchemaSection section) implements KeyType {
        @Override
        public String allowed() {
            return "a mapping with the keys " + String.join(", ", section.keyNames());
        }

        @Override
        public Object resolve(ConfigNode value, KeyContext context) {
            if (!(value instanceof ConfigNode.Mapping mapping)) {
                return context.expected(allowed(), value);
            }
            return context.validator().section(section, context.path(), mapping, context.keyLocation());
        }

        @Override
        public Object resolveAbsent(KeyContext context) {
            List<String> required = section.requiredKeyNames();
            if (!required.isEmpty()) {
                return context.error("is missing; it must set at least " + String.join(", ", required));
            }
            return context.validator().section(section, context.path(),
                    ConfigNode.Mapping.empty(context.keyLocation()), context.keyLocation());
        }
    }
}
