package io.spikeforge.plugins.surrogates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.component.InvalidParametersException;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The provider's id, parameters, validation and plugin packaging. */
class RectangularSurrogateProviderTest {
    private final RectangularSurrogateProvider provider = new RectangularSurrogateProvider();

    private ResolvedParameters resolve(Map<String, ?> yaml) {
        ResolvedParameters parameters = provider.parameters().resolve(yaml);
        provider.validate(parameters);
        return parameters;
    }

    @Test
    void defaultWidthIsOneAsInIdsnn() {
        SurrogateFunction surrogate = provider.create(resolve(Map.of()));
        assertEquals("rectangular", provider.id());
        assertEquals(1.0, assertInstanceOf(RectangularSurrogate.class, surrogate).width());
        assertEquals(1.0, surrogate.derivative(0.49));
        assertEquals(0.0, surrogate.derivative(0.5));
    }

    @Test
    void widthIsConfigurable() {
        SurrogateFunction surrogate = provider.create(resolve(Map.of("width", 0.5)));
        assertEquals(2.0, surrogate.derivative(0.2));
        assertEquals(0.0, surrogate.derivative(0.3));
    }

    @Test
    void rejectsWidthThatIsNotPositive() {
        for (double width : new double[] {0.0, -0.5}) {
            InvalidParametersException thrown = assertThrows(InvalidParametersException.class,
                    () -> resolve(Map.of("width", width)));
            assertEquals("width", thrown.problems().get(0).key());
            assertTrue(thrown.getMessage().contains("> 0"), thrown.getMessage());
        }
    }

    @Test
    void rejectsInfiniteWidth() {
        InvalidParametersException thrown = assertThrows(InvalidParametersException.class,
                () -> resolve(Map.of("width", Double.POSITIVE_INFINITY)));
        assertEquals("width", thrown.problems().get(0).key());
        assertTrue(thrown.getMessage().contains("finite"), thrown.getMessage());
    }

    @Test
    void unknownKeyGetsASuggestion() {
        InvalidParametersException thrown = assertThrows(InvalidParametersException.class,
                () -> resolve(Map.of("widht", 1.0)));
        assertEquals("widht", thrown.problems().get(0).key());
        assertTrue(thrown.getMessage().contains("did you mean 'width'?"), thrown.getMessage());
    }
}
