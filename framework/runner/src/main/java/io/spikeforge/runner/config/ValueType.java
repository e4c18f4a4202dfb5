package io.spikeforge.runner.config;

import io.spikeforge.api.component.Suggestions;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The type of a schema key: what it accepts, how it reads a value, and the phrase that describes it. */
sealed interface ValueType permits ValueType.IntegerType, ValueType.IntegerChoiceType, ValueType.NumberType,
        ValueType.BooleanType, ValueType.StringType, ValueType.ChoiceType, ValueType.PathType, ValueType.HttpUrlType,
        ValueType.IntegerListType, ValueType.SectionType, SlotType {

    /** Returned by {@link #resolve} after reporting a problem; null is a legitimate value (a disabled slot). */
    Object INVALID = new Object();

    /** What is allowed, as a phrase for messages and docs: "an integer in [1, 64]". */
    String allowed();

    /**
     * Checks a value and converts it to its resolved form (Long, Double, Boolean, String, a choice's
     * value, Path, URI, List of Long, {@link ResolvedSection} or {@link ComponentSlot}).
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

    /** An integer within bounds; the upper bound is left out of phrases when it only guards the Java type. */
    record IntegerType(long min, long max, boolean maxShown) implements ValueType {
        /** An {@code int} at least {@code min}. */
        static IntegerType atLeast(long min) {
            return new IntegerType(min, Integer.MAX_VALUE, false);
        }

        /** A {@code long} at least {@code min}. */
        static IntegerType longAtLeast(long min) {
            return new IntegerType(min, Long.MAX_VALUE, false);
        }

        /** An integer in {@code [min, max]}. */
        static IntegerType between(long min, long max) {
            return new IntegerType(min, max, true);
        }

        /** The bounds as a phrase: ">= 1" or "in [1, 64]". */
        String rangePhrase() {
            return maxShown ? "in [" + min + ", " + max + "]" : ">= " + min;
        }

        @Override
        public String allowed() {
            return "an integer " + rangePhrase();
        }

        @Override
        public Object resolve(ConfigNode value, KeyContext context) {
            if (!(value instanceof ConfigNode.Scalar scalar) || !scalar.isInteger()) {
                return context.expected(allowed(), value);
            }
            if (scalar.value() instanceof BigInteger || ((Number) scalar.value()).longValue() > max) {
                return context.error("expected " + allowed() + (maxShown ? "" : " and at most " + max)
                        + ", got the integer " + scalar.text());
            }
            long number = ((Number) scalar.value()).longValue();
            return number < min ? context.expected(allowed(), value) : (Object) number;
        }
    }

    /** One integer of a fixed set. */
    record IntegerChoiceType(List<Long> values) implements ValueType {
        public IntegerChoiceType {
            values = List.copyOf(values);
        }

        @Override
        public String allowed() {
            return "one of " + values.stream().map(String::valueOf).collect(Collectors.joining(", "));
        }

        @Override
        public Object resolve(ConfigNode value, KeyContext context) {
            if (value instanceof ConfigNode.Scalar scalar
                    && (scalar.value() instanceof Integer || scalar.value() instanceof Long)
                    && values.contains(((Number) scalar.value()).longValue())) {
                return ((Number) scalar.value()).longValue();
            }
            return context.expected(allowed(), value);
        }
    }

    /** A finite real number within optional bounds; integers are accepted, {@code .inf} and {@code .nan} are not. */
    record NumberType(Double min, boolean minInclusive, Double max, boolean maxInclusive) implements ValueType {
        static NumberType greaterThan(double min) {
            return new NumberType(min, false, null, false);
        }

        static NumberType atLeast(double min) {
            return new NumberType(min, true, null, false);
        }

        static NumberType between(double min, boolean minInclusive, double max, boolean maxInclusive) {
            return new NumberType(min, minInclusive, max, maxInclusive);
        }

        @Override
        public String allowed() {
            return "a number" + rangePhrase();
        }

        /** The bounds as a phrase with a leading space: " in [0, 1)", " > 0", or nothing. */
        private String rangePhrase() {
            if (min != null && max != null) {
                return " in " + (minInclusive ? "[" : "(") + YamlText.number(min) + ", "
                        + YamlText.number(max) + (maxInclusive ? "]" : ")");
            }
            if (min != null) {
                return (minInclusive ? " >= " : " > ") + YamlText.number(min);
            }
            if (max != null) {
                return (maxInclusive ? " <= " : " < ") + YamlText.number(max);
            }
            return "";
        }

        @Override
        public Object resolve(ConfigNode value, KeyContext context) {
            if (!(value instanceof ConfigNode.Scalar scalar) || !(scalar.value() instanceof Number number)) {
                return context.expected(allowed(), value);
            }
            double x = number.doubleValue();
            if (!Double.isFinite(x)) {
                return context.error("expected a finite number" + rangePhrase() + ", got " + YamlText.scalar(x));
            }
            boolean inRange = (min == null || (minInclusive ? x >= min : x > min))
                    && (max == null || (maxInclusive ? x <= max : x < max));
            return inRange ? (Object) x : context.expected(allowed(), value);
        }
    }

    /** {@code true} or {@code false}. */
    record BooleanType() implements ValueType {
        @Override
        public String allowed() {
            return "a boolean (true or false)";
        }

        @Override
        public Object resolve(ConfigNode value, KeyContext context) {
            if (value instanceof ConfigNode.Scalar scalar && scalar.value() instanceof Boolean flag) {
                return flag;
            }
            return context.expected(allowed(), value);
        }
    }

    /**
     * Text, optionally restricted by a pattern.
     *
     * @param pattern the whole value must match it; null for any text
     * @param phrase what is allowed, such as "a name of letters, digits, '.', '_' or '-'"
     */
    record StringType(Pattern pattern, String phrase) implements ValueType {
        static StringType any() {
            return new StringType(null, "a string");
        }

        static StringType matching(String regex, String phrase) {
            return new StringType(Pattern.compile(regex), phrase);
        }

        @Override
        public String allowed() {
            return phrase;
        }

        @Override
        public Object resolve(ConfigNode value, KeyContext context) {
            if (!(value instanceof ConfigNode.Scalar scalar) || !(scalar.value() instanceof String text)) {
                return context.expectedText(allowed(), value);
            }
            return pattern == null || pattern.matcher(text).matches() ? text : context.expected(allowed(), value);
        }
    }

    /** One word of a fixed set; resolves to the word's value (an enum constant or the word itself). */
    record ChoiceType(List<YamlChoice> options) implements ValueType {
        public ChoiceType {
            options = List.copyOf(options);
        }

        static ChoiceType of(YamlChoice... options) {
            return new ChoiceType(Arrays.asList(options));
        }

        /** A choice whose values are the words themselves. */
        static ChoiceType ofWords(String... words) {
            return new ChoiceType(Arrays.stream(words).map(w -> (YamlChoice) () -> w).toList());
        }

        List<String> names() {
            return options.stream().map(YamlChoice::yamlName).toList();
        }

        /** The value a word resolves to. */
        private static Object valueOf(YamlChoice option) {
            return option instanceof Enum<?> ? option : option.yamlName();
        }

        /** The word of a resolved value. */
        static String nameOf(Object value) {
            return value instanceof YamlChoice choice ? choice.yamlName() : (String) value;
        }

        @Override
        public String allowed() {
            return "one of " + String.join(", ", names());
        }

        @Override
        public Object resolve(ConfigNode value, KeyContext context) {
            if (value instanceof ConfigNode.Scalar scalar && scalar.value() instanceof String word) {
                for (YamlChoice option : options) {
                    if (option.yamlName().equals(word)) {
                        return valueOf(option);
                    }
                }
                return context.error("expected " + allowed() + ", got " + ConfigNode.describe(value)
                        + Suggestions.didYouMean(word, names()));
            }
            return context.expected(allowed(), value);
        }
    }

    /** A file system path, kept as written. */
    record PathType() implements ValueType {
        @Override
        public String allowed() {
            return "a path";
        }

        @Override
        public Object resolve(ConfigNode value, KeyContext context) {
            if (!(value instanceof ConfigNode.Scalar scalar) || !(scalar.value() instanceof String text)) {
                return context.expectedText(allowed(), value);
            }
            if (text.isBlank()) {
                return context.error("expected " + allowed() + ", got an empty string");
            }
            try {
                return Path.of(text);
            } catch (InvalidPathException e) {
                return context.error("expected " + allowed() + ", got '" + text + "', which is not a valid path: "
                        + e.getReason());
            }
        }
    }

    /** An {@code http://} or {@code https://} URL with a host. */
    record HttpUrlType() implements ValueType {
        @Override
        public String allowed() {
            return "an http:// or https:// URL such as http://localhost:5000";
        }

        @Override
        public Object resolve(ConfigNode value, KeyContext context) {
            if (!(value instanceof ConfigNode.Scalar scalar) || !(scalar.value() instanceof String text)) {
                return context.expectedText(allowed(), value);
            }
            try {
                URI uri = new URI(text);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                    return uri;
                }
            } catch (URISyntaxException e) {
                // Reported below like any other value that is not an http(s) URL.
            }
            return context.expected(allowed(), value);
        }
    }

    /** A list of integers, each within the element's bounds, optionally strictly increasing. */
    record IntegerListType(IntegerType element, boolean strictlyIncreasing) implements ValueType {
        public IntegerListType {
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
                Object number = element.resolve(item, itemContext);
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
    record SectionType(SchemaSection section) implements ValueType {
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
