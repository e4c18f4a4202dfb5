package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.testkit.PluginPackagingContract;
import io.spikeforge.testkit.neuron.SurrogateFunctionContract;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The surrogate contract, the formula at hand-computed points, and the plugin's packaging. */
class ExampleSurrogateTest extends SurrogateFunctionContract {
    private final ExampleSurrogate provider = new ExampleSurrogate();

    @Override
    protected List<SurrogateFunction> surrogates() {
        return List.of(provider.create(provider.parameters().defaults()), provider.create(4.0));
    }

    @Override
    protected boolean symmetric() {
        return true;
    }

    @Test
    void matchesItsFormula() {
        SurrogateFunction alphaTwo = provider.create(2.0);
        assertEquals(1.0, alphaTwo.derivative(0.0), 1e-15);       // alpha/2
        assertEquals(1.0 / 9, alphaTwo.derivative(1.0), 1e-15);   // 1 / (1 + 2)^2
        assertEquals(1.0 / 4, alphaTwo.derivative(-0.5), 1e-15);  // 1 / (1 + 1)^2
    }

    /** What the host needs to find and create the plugin's components (plugin.properties, extension index). */
    @Nested
    class Packaging extends PluginPackagingContract {
    }
}
