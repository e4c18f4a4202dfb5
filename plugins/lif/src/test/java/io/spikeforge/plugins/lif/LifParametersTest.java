package io.spikeforge.plugins.lif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.component.InvalidParametersException;
import io.spikeforge.api.component.ParameterProblem;
import io.spikeforge.api.component.ResolvedParameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parameters of {@code lif}: defaults, the decay/tau parametrizations and validation messages. */
class LifParametersTest {
    private final LifNeuronProvider provider = new LifNeuronProvider();

    private MembraneDynamics dynamics(Map<String, ?> yaml) {
        ResolvedParameters parameters = provider.parameters().resolve(yaml);
        provider.validate(parameters);
        return LifNeuronProvider.dynamics(parameters);
    }

    private InvalidParametersException rejected(Map<String, ?> yaml) {
        return assertThrows(InvalidParametersException.class, () -> dynamics(yaml));
    }

    private static ParameterProblem onlyProblem(InvalidParametersException e) {
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.problems().get(0);
    }

    @Test
    void defaultsAreTheIdsnnNeuron() {
        assertEquals("lif", provider.id());
        assertEquals(new MembraneDynamics(0.25, 1, 0.5, ResetMode.HARD, 0, true, false, 0), dynamics(Map.of()));
    }

    @Test
    void tauGivesSpikingJellysDecay() {
        assertEquals(new MembraneDynamics(0.5, 0.5, 1.0, ResetMode.HARD, 0, false, true, 0),
                dynamics(Map.of("tau", 2.0, "decay_input", true, "threshold", 1.0, "detach_reset", false,
                        "fire_at_threshold", true)));
        assertEquals(0.75, dynamics(Map.of("tau", 4)).decay());
    }

    @Test
    void decayAndTauTogetherAreRejectedNamingBoth() {
        ParameterProblem problem = onlyProblem(rejected(Map.of("decay", 0.5, "tau", 2.0)));
        assertEquals("tau", problem.key());
        assertTrue(problem.toString().contains("tau") && problem.toString().contains("'decay'"), problem.toString());
    }

    @Test
    void completedParametersHoldTheDecayUsedAndMeanTheSame() {
        for (Map<String, ?> yaml : List.<Map<String, ?>>of(Map.of(), Map.of("tau", 4.0), Map.of("tau", 3, "decay_input", true),
                Map.of("decay", 0.5))) {
            ResolvedParameters resolved = provider.parameters().resolve(yaml);
            provider.validate(resolved);

            ResolvedParameters completed = provider.complete(resolved);

            assertTrue(completed.isSet("decay"), () -> yaml + " gives " + completed);
            assertFalse(completed.isSet("tau"), () -> yaml + " gives " + completed);
            ResolvedParameters reloaded = provider.parameters().resolve(completed.asMap());
            provider.validate(reloaded);
            assertEquals(completed, reloaded);
            assertEquals(completed, provider.complete(reloaded), "completing twice changes nothing");
            assertEquals(LifNeuronProvider.dynamics(resolved), LifNeuronProvider.dynamics(completed), yaml::toString);
        }
        assertEquals(0.25, provider.complete(provider.parameters().defaults()).getDouble("decay"));
        assertEquals(0.75, provider.complete(provider.parameters().resolve(Map.of("tau", 4))).getDouble("decay"));
    }

    @Test
    void tauMustExceedOne() {
        for (double tau : new double[] {1.0, 0.5, -2.0}) {
            ParameterProblem problem = onlyProblem(rejected(Map.of("tau", tau)));
            assertEquals("tau", problem.key());
            assertTrue(problem.message().contains("> 1"), problem.message());
        }
    }

    @Test
    void decayMustLieInUnitInterval() {
        ParameterProblem problem = onlyProblem(rejected(Map.of("decay", 1.5)));
        assertEquals("decay", problem.key());
        assertTrue(problem.message().contains("[0, 1]"), problem.message());
    }

    @Test
    void unknownKeyGetsADidYouMean() {
        ParameterProblem problem = onlyProblem(rejected(Map.of("treshold", 0.5)));
        assertEquals("treshold", problem.key());
        assertTrue(problem.message().contains("did you mean 'threshold'?"), problem.message());
    }

    @Test
    void misspelledResetGetsADidYouMean() {
        ParameterProblem problem = onlyProblem(rejected(Map.of("reset", "sfot")));
        assertEquals("reset", problem.key());
        assertTrue(problem.message().contains("did you mean 'soft'?"), problem.message());
    }

    @Test
    void resetPotentialIsForHardResetOnly() {
        ParameterProblem problem = onlyProblem(rejected(Map.of("reset", "soft", "v_reset", 0.1)));
        assertEquals("v_reset", problem.key());
        assertTrue(problem.message().contains("reset: hard"), problem.message());
    }

    @Test
    void resetPotentialMustBeBelowThreshold() {
        ParameterProblem problem = onlyProblem(rejected(Map.of("v_reset", 0.5)));
        assertEquals("v_reset", problem.key());
        assertTrue(problem.message().contains("below threshold"), problem.message());
    }

    @Test
    void decayInputNeedsALeak() {
        ParameterProblem problem = onlyProblem(rejected(Map.of("decay", 1.0, "decay_input", true)));
        assertEquals("decay_input", problem.key());
        assertTrue(problem.message().contains("decay"), problem.message());
    }

    @Test
    void numbersMustBeFinite() {
        ParameterProblem problem = onlyProblem(rejected(Map.of("threshold", Double.POSITIVE_INFINITY)));
        assertEquals("threshold", problem.key());
        assertTrue(problem.message().contains("finite"), problem.message());
    }

    @Test
    void thresholdMustBePositive() {
        ParameterProblem problem = onlyProblem(rejected(Map.of("threshold", 0.0)));
        assertEquals("threshold", problem.key());
    }
}
