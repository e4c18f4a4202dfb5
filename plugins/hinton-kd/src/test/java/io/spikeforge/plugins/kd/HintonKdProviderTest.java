package io.spikeforge.plugins.kd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.component.InvalidParametersException;
import io.spikeforge.api.component.ParameterProblem;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.distill.LossValue;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class HintonKdProviderTest {
    private final HintonKdProvider provider = new HintonKdProvider();

    @Test
    void defaultsAreTheIdsnnReference() {
        ResolvedParameters defaults = provider.parameters().defaults();
        assertEquals(Map.of("temperature", 4.0, "combine", "sum", "weight", 0.3, "alpha", 0.9), defaults.asMap());

        HintonKdLoss loss = assertInstanceOf(HintonKdLoss.class, provider.create(defaults));
        assertEquals(4.0, loss.temperature(), 0.0, "temperature");
        assertEquals(1.0, loss.ceWeight(), 0.0, "CE weight of sum");
        assertEquals(0.3, loss.kdWeight(), 0.0, "KD weight of sum");
    }

    @Test
    void mixWeighsCrossEntropyAndDistillationByAlpha() {
        HintonKdLoss mix = assertInstanceOf(HintonKdLoss.class,
                provider.create(provider.parameters().resolve(Map.of("combine", "mix", "alpha", 0.7, "temperature", 2))));
        HintonKdLoss unweighted = HintonKdLoss.sum(2.0, 1.0);

        var student = Nd4j.createFromArray(new double[][] {{1.0, -2.0, 0.5}, {0.0, 3.0, -1.0}});
        var teacher = Nd4j.createFromArray(new double[][] {{2.0, 0.0, -1.0}, {-0.5, 1.5, 1.0}});
        int[] labels = {2, 1};
        LossValue parts = unweighted.compute(student, teacher, labels);
        LossValue mixed = mix.compute(student, teacher, labels);
        assertEquals(0.3 * parts.terms().get("ce") + 0.7 * parts.terms().get("kd"), mixed.value(), 1e-12);
    }

    @Test
    void nonPositiveTemperatureIsRejectedByName() {
        for (Object bad : new Object[] {0, -1.5}) {
            InvalidParametersException error = assertThrows(InvalidParametersException.class,
                    () -> provider.parameters().resolve(Map.of("temperature", bad)));
            ParameterProblem problem = error.problems().get(0);
            assertEquals("temperature", problem.key());
            assertTrue(problem.message().contains("> 0"), problem.message());
        }
    }

    @Test
    void misspelledKeyGetsASuggestion() {
        InvalidParametersException error = assertThrows(InvalidParametersException.class,
                () -> provider.parameters().resolve(Map.of("temprature", 2.0)));
        assertEquals("temprature", error.problems().get(0).key());
        assertTrue(error.getMessage().contains("did you mean 'temperature'"), error.getMessage());
    }

    @Test
    void unknownCombineStyleIsRejectedByName() {
        InvalidParametersException error = assertThrows(InvalidParametersException.class,
                () -> provider.parameters().resolve(Map.of("combine", "mixed")));
        assertEquals("combine", error.problems().get(0).key());
        assertTrue(error.getMessage().contains("sum, mix"), error.getMessage());
    }

    @Test
    void alphaOutsideTheUnitIntervalIsRejected() {
        InvalidParametersException error = assertThrows(InvalidParametersException.class,
                () -> provider.parameters().resolve(Map.of("combine", "mix", "alpha", 1.2)));
        assertEquals("alpha", error.problems().get(0).key());
    }
}
