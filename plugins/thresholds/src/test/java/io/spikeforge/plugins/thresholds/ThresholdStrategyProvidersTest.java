package io.spikeforge.plugins.thresholds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.component.ComponentProvider;
import io.spikeforge.api.component.InvalidParametersException;
import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ResolvedParameters;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The providers' ids, defaults, and the errors for bad parameters, each naming its key. */
class ThresholdStrategyProvidersTest {
    private final PercentileThresholdProvider percentile = new PercentileThresholdProvider();
    private final MseSearchThresholdProvider mseSearch = new MseSearchThresholdProvider();
    private final TtrbrThresholdProvider ttrbr = new TtrbrThresholdProvider();

    @Test
    void idsAreTheDocumentedOnes() {
        assertEquals("max", new MaxThresholdProvider().id());
        assertEquals("percentile", percentile.id());
        assertEquals("mse-search", mseSearch.id());
        assertEquals("ttrbr", ttrbr.id());
        assertEquals("activation", new ActivationThresholdProvider().id());
        assertInstanceOf(MaxThreshold.class, new MaxThresholdProvider().create(ParameterSchema.empty().defaults()));
        assertInstanceOf(ActivationThreshold.class, new ActivationThresholdProvider().create(ParameterSchema.empty().defaults()));
    }

    @Test
    void defaultsAreThePapersSettings() {
        PercentileThreshold p = assertInstanceOf(PercentileThreshold.class, percentile.create(resolve(percentile, Map.of())));
        assertEquals(99.9, p.percentile());
        assertEquals(false, p.includeZeros());
        assertEquals(100, assertInstanceOf(MseSearchThreshold.class, mseSearch.create(resolve(mseSearch, Map.of()))).steps());
        assertEquals("ttrbr(grid=20, min_fraction=0.05, max_fraction=1.0, reference_percentile=100.0)",
                ttrbr.create(resolve(ttrbr, Map.of())).toString());
    }

    @Test
    void givenParametersReachTheStrategy() {
        PercentileThreshold p = assertInstanceOf(PercentileThreshold.class,
                percentile.create(resolve(percentile, Map.of("p", 99.99, "include_zeros", true))));
        assertEquals(99.99, p.percentile());
        assertTrue(p.includeZeros());
        assertEquals(40, assertInstanceOf(MseSearchThreshold.class, mseSearch.create(resolve(mseSearch,
                Map.of("steps", 40)))).steps());
        assertEquals("ttrbr(grid=8, min_fraction=0.2, max_fraction=1.5, reference_percentile=99.0)",
                ttrbr.create(resolve(ttrbr, Map.of("grid", 8, "min_fraction", 0.2, "max_fraction", 1.5,
                        "reference_percentile", 99))).toString());
    }

    @Test
    void outOfRangeValuesAreRejectedByName() {
        assertRejected(percentile, Map.of("p", 0), "p", "(0, 100]");
        assertRejected(percentile, Map.of("p", 100.5), "p", "(0, 100]");
        assertRejected(mseSearch, Map.of("steps", 0), "steps", "[1, 100]");
        assertRejected(mseSearch, Map.of("steps", 101), "steps", "[1, 100]");
        assertRejected(ttrbr, Map.of("grid", 1), "grid", "[2, 1000]");
        assertRejected(ttrbr, Map.of("min_fraction", 0), "min_fraction", "> 0");
        assertRejected(ttrbr, Map.of("reference_percentile", 0), "reference_percentile", "(0, 100]");
    }

    @Test
    void aRangeOfFractionsThatIsEmptyIsRejectedNamingMinFraction() {
        InvalidParametersException error = assertThrows(InvalidParametersException.class,
                () -> resolve(ttrbr, Map.of("min_fraction", 1.2)));
        assertEquals("min_fraction", error.problems().get(0).key());
        assertTrue(error.getMessage().contains("must be below max_fraction (1.0), got 1.2"), error.getMessage());
    }

    @Test
    void misspelledKeysGetASuggestion() {
        InvalidParametersException error = assertThrows(InvalidParametersException.class,
                () -> resolve(percentile, Map.of("include_zero", true)));
        assertTrue(error.getMessage().contains("did you mean 'include_zeros'"), error.getMessage());
    }

    private static ResolvedParameters resolve(ComponentProvider provider, Map<String, ?> yaml) {
        ResolvedParameters parameters = provider.parameters().resolve(yaml);
        provider.validate(parameters);
        return parameters;
    }

    private static void assertRejected(ComponentProvider provider, Map<String, ?> yaml, String key, String expected) {
        InvalidParametersException error = assertThrows(InvalidParametersException.class, () -> resolve(provider, yaml),
                () -> provider.id() + " " + yaml);
        assertEquals(key, error.problems().get(0).key());
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }
}
