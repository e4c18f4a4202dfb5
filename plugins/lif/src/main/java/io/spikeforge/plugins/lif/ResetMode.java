package io.spikeforge.plugins.lif;

import java.util.Locale;

/** What the membrane potential becomes after a spike. */
enum ResetMode {
    /** Set to the reset potential {@code v_reset}. */
    HARD,
    /** Reduced by the threshold ("reset by subtraction"), keeping the excess charge. */
    SOFT;

    /** The word used in YAML. */
    String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode for a YAML word, already validated as one of {@link #word()}'s values. */
    static ResetMode fromWord(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT));
    }
}
