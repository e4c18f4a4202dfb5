package ${package};

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.spikeforge.api.activation.AnnActivation;
import io.spikeforge.testkit.PluginPackagingContract;
import io.spikeforge.testkit.activation.AnnActivationContract;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The activation contract (gradients against finite differences), hand-computed values, and the plugin's packaging. */
class ExampleActivationTest extends AnnActivationContract {
    private final ExampleActivation provider = new ExampleActivation();

    @Override
    protected AnnActivation createActivation(int channels, DataType dataType) {
        return provider.create(provider.parameters().resolve(Map.of("beta", 2.0)), channels, dataType);
    }

    @Test
    void isLnOfOnePlusExpOverBeta() {
        // beta 2: y(0) = ln 2 / 2; y(1) = ln(1 + e^2) / 2; y(-1) = ln(1 + e^-2) / 2
        double[] y = createActivation(1, DataType.DOUBLE).forward(Nd4j.createFromArray(new double[][] {{0}, {1}, {-1}}),
                false).reshape(3).toDoubleVector();
        assertArrayEquals(new double[] {Math.log(2) / 2, Math.log(1 + Math.exp(2)) / 2, Math.log(1 + Math.exp(-2)) / 2},
                y, 1e-15);
    }

    /** What the host needs to find and create the plugin's components (plugin.properties, extension index). */
    @Nested
    class Packaging extends PluginPackagingContract {
    }
}
