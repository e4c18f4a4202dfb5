package io.spikeforge.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private final List<String> keys = List.of("training", "teacher", "tracking", "student", "dataset");

    @Test
    void suggestsTheClosestPlausibleSpelling() {
        assertEquals(Optional.of("training"), Suggestions.closest("traning", keys));
        assertEquals(Optional.of("teacher"), Suggestions.closest("taecher", keys));
        assertEquals(Optional.of("dataset"), Suggestions.closest("DataSet", keys));
    }

    @Test
    void suggestsNothingForUnrelatedWords() {
        assertEquals(Optional.empty(), Suggestions.closest("optimizer", keys));
        assertEquals("", Suggestions.didYouMean("xyz", keys));
    }

    @Test
    void distanceCountsAnAdjacentSwapAsOneEdit() {
        assertEquals(1, Suggestions.distance("lfi", "lif"));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
    }
}
