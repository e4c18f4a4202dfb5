package io.spikeforge.plugins.lif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.component.InvalidParametersException;
import io.spikeforge.api.component.ResolvedParameters;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parameters of {@code if}: the conversion defaults and validation. */
class IfParametersTest {
    private final IfNeuronProvider provider = new IfNeuronProvider();

    private MembraneDynamics dynamics(Map<String, ?> yaml) {
        ResolvedParameters parameters = provider.parameters().resolve(yaml);
        provider.validate(parameters);
        return IfNeuronProvider.dynamics(parameters);
    }

    @Test
    void defaultsAreTheConversionNeuron() {
        assertEquals("if", provider.id());
        assertEquals(new MembraneDynamics(1, 1, 1.0, ResetMode.SOFT, 0, true, true, 0), dynamics(Map.of()));
    }

    @Test
    void initialMembraneIsScaledByThreshold() {
        assertEquals(1.5, dynamics(Map.of("threshold", 3.0, "initial_membrane", 0.5)).initialPotential());
    }

    @Test
    void initialMembraneOutsideUnitIntervalIsRejected() {
        InvalidParametersException thrown = assertThrows(InvalidParametersException.class,
                () -> dynamics(Map.of("initial_membrane", 1.5)));
        assertEquals("initial_membrane", thrown.problems().get(0).key());
        assertTrue(thrown.getMessage().contains("[0, 1]"), thrown.getMessage());
    }

    @Test
    void softResetRejectsResetPotential() {
        InvalidParametersException thrown = assertThrows(InvalidParametersException.class,
                () -> dynamics(Map.of("v_reset", -0.5)));
        assertEquals("v_reset", thrown.problems().get(0).key());
    }

    @Test
    void leakParametersAreUnknownWithSuggestion() {
        InvalidParametersException thrown = assertThrows(InvalidParametersException.class,
                () -> dynamics(Map.of("threshhold", 1.0)));
        assertTrue(thrown.getMessage().contains("did you mean 'threshold'?"), thrown.getMessage());
    }
}
