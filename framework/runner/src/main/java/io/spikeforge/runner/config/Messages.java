package io.spikeforge.runner.config;

import io.spikeforge.api.config.Suggestions;
import java.util.Collection;

/** Phrasing shared by the messages of the loader. */
final class Messages {
    private Messages() {
    }

    /**
     * "; did you mean 'x'? " when a candidate is close to {@code input}, else "; ", so that callers
     * can go on with a lower-case list ("allowed keys: ...") either way.
     */
    static String suggestion(String input, Collection<String> candidates) {
        String hint = Suggestions.didYouMean(input, candidates);
        return hint.isEmpty() ? "; " : hint + " ";
    }

    /** The noun with "a" or "an": "a neuron model", "an initialization strategy". */
    static String withArticle(String noun) {
        return ("aeiou".indexOf(Character.toLowerCase(noun.charAt(0))) >= 0 ? "an " : "a ") + noun;
    }
}
