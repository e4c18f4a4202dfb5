package io.spikeforge.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SweepValuesTest {
    @Test
    void commasAtTheTopLevelSeparateValues() {
        assertEquals(List.of("a", "b", "c"), SweepValues.of("a,b,c"));
        assertEquals(List.of("0.1", "0.3"), SweepValues.of("0.1, 0.3"));
        assertEquals(List.of("x"), SweepValues.of("x"));
        assertEquals(List.of(""), SweepValues.of(""));
    }

    @Test
    void bracketsBracesAndQuotesAreSingleValues() {
        assertEquals(List.of("[16,32,64]"), SweepValues.of("[16,32,64]"));
        assertEquals(List.of("{name: step, every: 10}"), SweepValues.of("{name: step, every: 10}"));
        assertEquals(List.of("\"a,b\""), SweepValues.of("\"a,b\""));
        assertEquals(List.of("'a,b'"), SweepValues.of("'a,b'"));
        assertEquals(List.of("[1,2]", "[3,4]"), SweepValues.of("[1,2],[3,4]"));
    }

    @Test
    void rangesAreHydras() {
        assertEquals(List.of("1", "2", "3"), SweepValues.of("range(1,4)"));
        assertEquals(List.of("0", "2", "4"), SweepValues.of("range(0, 5, 2)"));
        assertEquals(List.of("3", "2"), SweepValues.of("range(3,1,-1)"));
        assertEquals(List.of("0.0", "0.25", "0.5", "0.75"), SweepValues.of("range(0,1,0.25)"));
    }

    @Test
    void badRangesAndBracketsSayWhatWasExpected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SweepValues.of("range(4,1)")).getMessage()
                .contains("is empty: the stop must lie above the start"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SweepValues.of("range(0,1,0)")).getMessage()
                .contains("step of a range cannot be 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SweepValues.of("range(a,3)")).getMessage()
                .contains("expected range(start, stop) or range(start, stop, step)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SweepValues.of("[1,2")).getMessage()
                .contains("a bracket that is not closed"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SweepValues.of("1,,2")).getMessage()
                .contains("an empty value between commas"));
    }
}
