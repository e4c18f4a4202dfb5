package io.spikeforge.api.config;

/**
 * Optional bounds of a number, each inclusive or not.
 *
 * @param min the lower bound, or null for none
 * @param max the upper bound, or null for none
 */
record Range(Double min, boolean minInclusive, Double max, boolean maxInclusive) {
    static final Range NONE = new Range(null, true, null, true);

    Range withMin(double bound, boolean inclusive) {
        return new Range(bound, inclusive, max, maxInclusive);
    }

    Range withMax(double bound, boolean inclusive) {
        return new Range(min, minInclusive, bound, inclusive);
    }

    boolean contains(double x) {
        return (min == null || (minInclusive ? x >= min : x > min))
                && (max == null || (maxInclusive ? x <= max : x < max));
    }

    /** The bounds as a phrase: "in [0, 1)", ">= 1", "< 5", or nothing. */
    String phrase() {
        if (min != null && max != null) {
            return "in " + (minInclusive ? "[" : "(") + ValueText.number(min) + ", " + ValueText.number(max)
                    + (maxInclusive ? "]" : ")");
        }
        if (min != null) {
            return (minInclusive ? ">= " : "> ") + ValueText.number(min);
        }
        if (max != null) {
            return (maxInclusive ? "<= " : "< ") + ValueText.number(max);
        }
        return "";
    }

    /** The phrase after a noun: " in [0, 1)" with its leading space, or nothing. */
    String suffix() {
        String phrase = phrase();
        return phrase.isEmpty() ? "" : " " + phrase;
    }
}
