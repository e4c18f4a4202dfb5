package io.spikeforge.api.config;

import java.util.Arrays;
import java.util.List;

/**
 * One word of a fixed set. Resolves to the word itself ({@link #ofWords}) or to the
 * {@link YamlChoice} it names, such as an enum constant ({@link #of}); a misspelled word gets a
 * "did you mean".
 */
public final class ChoiceType implements ValueType {
    private final List<YamlChoice> options;
    private final boolean words;

    private ChoiceType(List<YamlChoice> options, boolean words) {
        if (options.isEmpty()) {
            throw new IllegalArgumentException("a choice needs at least one value");
        }
        this.options = List.copyOf(options);
        this.words = words;
    }

    /** A choice among values, each selected by its {@link YamlChoice#yamlName()}. */
    public static ChoiceType of(YamlChoice... options) {
        return new ChoiceType(Arrays.asList(options), false);
    }

    /** A choice among words, each resolving to itself. */
    public static ChoiceType ofWords(String... words) {
        return new ChoiceType(Arrays.stream(words).map(w -> (YamlChoice) () -> w).toList(), true);
    }

    /** The words, in the order offered. */
    public List<String> names() {
        return options.stream().map(YamlChoice::yamlName).toList();
    }

    /** The word of a resolved value: a {@link YamlChoice}'s name, or the word itself. */
    public static String wordOf(Object value) {
        return value instanceof YamlChoice choice ? choice.yamlName() : (String) value;
    }

    @Override
    public String allowed() {
        return "one of " + String.join(", ", names());
    }

    @Override
    public Checked check(Object value) {
        if (value instanceof String word) {
            for (YamlChoice option : options) {
                if (option.yamlName().equals(word)) {
                    return Checked.valid(words ? word : option);
                }
            }
            return Checked.mismatch(allowed(), Suggestions.didYouMean(word, names()));
        }
        return Checked.mismatch(allowed(), "");
    }

    @Override
    public String toString() {
        return allowed();
    }
}
