package ${package};

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.spikeforge.api.neuron.BaseNeuron;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.testkit.PluginPackagingContract;
import io.spikeforge.testkit.neuron.NeuronModelContract;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The neuron contract (with finite differences through time of a smooth version of the neuron), a
 * hand-computed spike train, and the plugin's packaging.
 */
class ExampleNeuronTest extends NeuronModelContract {
    private final ExampleNeuron provider = new ExampleNeuron();

    @Override
    protected NeuronModel createNeuron(SurrogateFunction surrogate) {
        return provider.create(provider.parameters().defaults(), surrogate, DataType.DOUBLE);
    }

    @Override
    protected Optional<NeuronModel> smoothNeuron(DoubleUnaryOperator spike, SurrogateFunction slope) {
        BaseNeuron neuron = (BaseNeuron) createNeuron(slope);
        return Optional.of(neuron.withSmoothSpike(spike));
    }

    @Test
    void chargesLeaksFiresAndResets() {
        // one neuron, input 0.6 at each of 4 steps, decay 0.5, threshold 1:
        // H = 0.6, 0.9, 1.05 (fires, reset to 0), 0.6
        NeuronModel neuron = createNeuron(surrogate());
        double[] spikes = neuron.forward(Nd4j.createFromArray(0.6, 0.6, 0.6, 0.6).reshape(4, 1), 4, false)
                .reshape(4).toDoubleVector();
        assertArrayEquals(new double[] {0, 0, 1, 0}, spikes);
    }

    /** What the host needs to find and create the plugin's components (plugin.properties, extension index). */
    @Nested
    class Packaging extends PluginPackagingContract {
    }
}
