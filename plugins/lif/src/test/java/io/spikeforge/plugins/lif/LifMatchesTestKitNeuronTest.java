package io.spikeforge.plugins.lif;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.NeuronModelProvider;
import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.testkit.neuron.LifTestNeuron;
import io.spikeforge.testkit.neuron.RectangularTestSurrogate;
import io.spikeforge.testkit.neuron.SmoothTestSurrogate;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The plugin's neurons compute what the test kit's {@link LifTestNeuron} computes for the same
 * settings, on both paths (the fused FLOAT kernel and the DOUBLE ops): the engine's tests, which run
 * the test kit's neuron, therefore hold for the plugin's too.
 */
class LifMatchesTestKitNeuronTest {
    private static final int STEPS = 4;
    private static final long[] SHAPE = {STEPS * 3, 4, 5, 5};

    static Stream<Arguments> settings() {
        LifNeuronProvider lif = new LifNeuronProvider();
        IfNeuronProvider integrateAndFire = new IfNeuronProvider();
        return Stream.of(
                Arguments.of("IDSNN defaults", lif, Map.of(), LifTestNeuron.builder()),
                Arguments.of("SpikingJelly LIFNode", lif, Map.of("tau", 2.0, "decay_input", true, "threshold", 1.0,
                        "detach_reset", false, "fire_at_threshold", true), LifTestNeuron.builder().optTau(2)
                        .optDecayInput(true).optThreshold(1).optDetachReset(false).optFireAtThreshold(true)),
                Arguments.of("soft reset, reset kept in the gradient", lif, Map.of("reset", "soft", "decay", 0.5,
                        "detach_reset", false), LifTestNeuron.builder().optSoftReset().optDecay(0.5)
                        .optDetachReset(false)),
                Arguments.of("if, initial membrane 0.5", integrateAndFire, Map.of("initial_membrane", 0.5),
                        LifTestNeuron.builder().optDecay(1).optThreshold(1).optSoftReset().optFireAtThreshold(true)
                                .optInitialPotential(0.5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void spikesAndGradientsAgree(String name, NeuronModelProvider provider, Map<String, Object> parameters,
                                 LifTestNeuron.Builder reference) {
        ResolvedParameters resolved = provider.complete(provider.parameters().resolve(parameters));
        provider.validate(resolved);
        for (SurrogateFunction surrogate : new SurrogateFunction[] {new RectangularTestSurrogate(),
            new SmoothTestSurrogate()}) {
            for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
                Random random = new Random(17);
                INDArray current = uniform(random, -0.5, 2.0, type);
                INDArray gradSpikes = uniform(random, -1, 1, type);
                NeuronModel plugin = provider.create(resolved, surrogate);
                NeuronModel testKit = reference.optSurrogate(surrogate).build();
                String what = name + ", " + surrogate + ", " + type;

                double[] pluginSpikes = values(plugin.forward(current, STEPS, true));
                double[] testKitSpikes = values(testKit.forward(current, STEPS, true));
                double[] pluginGradient = values(plugin.backward(gradSpikes));
                double[] testKitGradient = values(testKit.backward(gradSpikes));

                double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-5;
                double fired = 0;
                for (int i = 0; i < pluginSpikes.length; i++) {
                    int at = i;
                    assertEquals(testKitSpikes[i], pluginSpikes[i], () -> what + ": spike " + at);
                    assertEquals(testKitGradient[i], pluginGradient[i],
                            tolerance * Math.max(1, Math.abs(testKitGradient[i])), () -> what + ": dL/dcurrent " + at);
                    fired += pluginSpikes[i];
                }
                double rate = fired / pluginSpikes.length;
                assertEquals(0.5, rate, 0.45, what + ": some neurons fire, some do not");
            }
        }
    }

    private static INDArray uniform(Random random, double low, double high, DataType type) {
        double[] values = new double[(int) (SHAPE[0] * SHAPE[1] * SHAPE[2] * SHAPE[3])];
        for (int i = 0; i < values.length; i++) {
            values[i] = low + random.nextDouble() * (high - low);
        }
        return Nd4j.create(values, SHAPE, DataType.DOUBLE).castTo(type);
    }

    private static double[] values(INDArray array) {
        return array.castTo(DataType.DOUBLE).dup('c').reshape(array.length()).toDoubleVector();
    }
}
