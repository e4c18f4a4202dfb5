package io.spikeforge.api.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Text, optionally restricted by a pattern, resolved to a {@code String}. A value YAML read as
 * something else (an unquoted {@code 2024}) is refused with the advice to quote it.
 */
public final class StringType implements ValueType {
    private static final StringType ANY = new StringType(null, "a string");

    private final Pattern pattern;
    private final String phrase;

    private StringType(Pattern pattern, String phrase) {
        this.pattern = pattern;
        this.phrase = Objects.requireNonNull(phrase, "phrase");
    }

    /** Any text. */
    public static StringType any() {
        return ANY;
    }

    /**
     * Text that matches a regular expression as a whole.
     *
     * @param phrase what is allowed, for messages: "a name of letters, digits, '.', '_' or '-'"
     */
    public static StringType matching(String regex, String phrase) {
        return new StringType(Pattern.compile(regex), phrase);
    }

    @Override
    public String allowed() {
        return phrase;
    }

    @Override
    public Checked check(Object value) {
        if (!(value instanceof String text)) {
            return Checked.mismatch(allowed(), ValueText.quoteHint(value));
        }
        return pattern == null || pattern.matcher(text).matches() ? Checked.valid(text)
                : Checked.mismatch(allowed(), "");
    }

    @Override
    public String toString() {
        return allowed();
    }
}
