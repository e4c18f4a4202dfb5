package io.spikeforge.plugins.loopinit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.init.InitializationReport;
import io.spikeforge.api.init.InitializationStrategy;
import io.spikeforge.api.init.TensorTransfer;
import io.spikeforge.api.model.LayerInfo;
import io.spikeforge.api.model.LayerKind;
import io.spikeforge.api.model.StateDict;
import io.spikeforge.engine.model.ResNet;
import io.spikeforge.testkit.neuron.LifTestNeuron;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The loop-interpolation plugin initializes a real spiking ResNet-18 of the engine from a real
 * ResNet-34 teacher (the engine is a test dependency of this plugin; the neurons are the test kit's).
 */
class LoopInterpolationOnResNetTest {
    @Test
    void aSpikingResNet18TakesTheFirstChannelsOfItsResNet34Teacher() {
        ResNet teacher = ResNet.builder().optDepth(34).optWidths(8, 16, 32, 64).optSeed(1).build();
        StateDict teacherState = teacher.stateDict();
        // as if trained: BN tensors that differ from their initial constants, so that transfers show
        for (LayerInfo layer : teacher.structure().layers()) {
            if (layer.kind() == LayerKind.BATCH_NORM) {
                for (String name : layer.tensors()) {
                    INDArray tensor = teacherState.get(name);
                    double centre = name.endsWith(".weight") || name.endsWith(".running_var") ? 1 : 0;
                    tensor.assign(normal(name.hashCode(), DataType.FLOAT, tensor.shape()).muli(0.1).addi(centre));
                }
            }
        }
        ResNet student = ResNet.builder().optWidths(4, 8, 16, 32).optSpiking((layer, type) -> LifTestNeuron.builder().build(), 4).optSeed(2).build();
        Map<String, INDArray> before = copyOfState(student);

        LoopInterpolationProvider provider = new LoopInterpolationProvider();
        InitializationStrategy strategy = provider.create(provider.parameters().defaults());
        InitializationReport report = strategy.initialize(teacher.structure(), teacherState, student.structure(),
                student.stateDict());

        StateDict state = student.stateDict();
        // W_s[o, i] = W_t[o mod 16, i mod 16] = W_t[o, i] for the narrower student; block j <- block j
        assertEquals(teacherState.get("layer3.1.conv2.weight").get(NDArrayIndex.interval(0, 16),
                NDArrayIndex.interval(0, 16), NDArrayIndex.all(), NDArrayIndex.all()), state.get("layer3.1.conv2.weight"));
        assertEquals(teacherState.get("conv1.weight").get(NDArrayIndex.interval(0, 4), NDArrayIndex.all(),
                NDArrayIndex.all(), NDArrayIndex.all()), state.get("conv1.weight"));
        for (String suffix : new String[] {"weight", "bias", "running_mean", "running_var"}) {
            String name = "layer1.0.bn1." + suffix;
            assertArrayEquals(Arrays.copyOf(values(teacherState.get(name)), 4), values(state.get(name)), 0, name);
        }
        // the student's tdBN weight 0.5 gave way to the teacher's
        assertEquals(0.5, before.get("layer2.1.bn2.weight").getDouble(3), 0);
        assertEquals(teacherState.get("layer2.1.bn2.weight").getDouble(3), state.get("layer2.1.bn2.weight").getDouble(3), 0);
        // the reference leaves shortcuts and the classifier to the student's own initialization
        for (String name : new String[] {"layer2.0.downsample.0.weight", "layer2.0.downsample.1.weight", "fc.weight",
            "fc.bias"}) {
            assertEquals(before.get(name), state.get(name), name);
            assertTrue(report.untouched().containsKey(name), name);
        }
        assertEquals(state.names().size(), report.transfers().size() + report.untouched().size());
        assertTrue(report.transfers().stream().map(TensorTransfer::studentTensor)
                .anyMatch("layer4.1.conv1.weight"::equals));

        INDArray logits = student.forward(normal(5, DataType.FLOAT, 2, 3, 8, 8), true);
        assertTrue(Arrays.stream(values(logits)).allMatch(Double::isFinite));
    }

    /** Standard normal entries from {@code seed}. */
    private static INDArray normal(long seed, DataType dataType, long... shape) {
        Random random = new Random(seed);
        double[] values = new double[Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact))];
        Arrays.setAll(values, i -> random.nextGaussian());
        return Nd4j.create(values, shape, dataType);
    }

    /** The values of an array in c order. */
    private static double[] values(INDArray array) {
        return array.castTo(DataType.DOUBLE).dup('c').reshape(array.length()).toDoubleVector();
    }

    /** A copy of every state tensor, by name. */
    private static Map<String, INDArray> copyOfState(ResNet model) {
        Map<String, INDArray> copies = new LinkedHashMap<>();
        model.stateDict().names().forEach(name -> copies.put(name, model.stateDict().get(name).dup()));
        return copies;
    }
}
