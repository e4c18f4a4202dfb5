package io.spikeforge.engine.model;

import static io.spikeforge.engine.model.ModelTesting.copyOfState;
import static io.spikeforge.engine.model.ModelTesting.idsnnLif;
import static io.spikeforge.engine.model.ModelTesting.normal;
import static io.spikeforge.engine.model.ModelTesting.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.init.InitializationReport;
import io.spikeforge.api.init.InitializationStrategy;
import io.spikeforge.api.init.TensorTransfer;
import io.spikeforge.api.model.StateDict;
import io.spikeforge.plugins.loopinit.LoopInterpolationProvider;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The loop-interpolation plugin initializes a real spiking ResNet-18 from a real ResNet-34 teacher. */
class LoopInterpolationOnResNetTest {
    @Test
    void aSpikingResNet18TakesTheFirstChannelsOfItsResNet34Teacher() {
        ResNet teacher = ResNet.builder().optDepth(34).optWidths(8, 16, 32, 64).optSeed(1).build();
        // as if trained: BN tensors that differ from their initial constants, so transfers show
        StateDict teacherState = teacher.stateDict();
        teacherState.names().stream().filter(n -> n.contains("bn") || n.contains("downsample.1"))
                .forEach(n -> teacherState.get(n).assign(normal(n.hashCode(), DataType.FLOAT, teacherState.get(n).shape())
                        .muli(0.1).addi(n.endsWith("running_var") || n.endsWith("weight") ? 1 : 0)));
        ResNet student = ResNet.builder().optWidths(4, 8, 16, 32).optSpiking(idsnnLif(), 4).optSeed(2).build();
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
}
