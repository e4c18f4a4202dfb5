package io.spikeforge.plugins.lif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.testkit.neuron.RectangularTestSurrogate;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Once shapes repeat, the neuron's training forward, backward and inference forward create no ND4J
 * array (the engine's ResNetAllocationTest relies on it for whole models): every array created on
 * the thread during the probed calls would land in the probe's workspace.
 */
class LifAllocationTest {
    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "DOUBLE"})
    void repeatedCallsAllocateNothing(String typeName) {
        DataType type = DataType.valueOf(typeName);
        LifNeuronProvider provider = new LifNeuronProvider();
        NeuronModel neuron = provider.create(provider.complete(provider.parameters().resolve(Map.of())),
                new RectangularTestSurrogate());
        INDArray current = Nd4j.rand(DataType.DOUBLE, 8, 4, 6, 6).muli(1.5).castTo(type);
        INDArray gradSpikes = Nd4j.rand(DataType.DOUBLE, 8, 4, 6, 6).castTo(type);
        neuron.forward(current, 4, true);
        neuron.backward(gradSpikes);
        neuron.forward(current, 4, false);

        long bytes = bytesAllocatedDuring(() -> {
            neuron.forward(current, 4, true);
            neuron.backward(gradSpikes);
            neuron.forward(current, 4, false);
        });

        assertEquals(0, bytes, type + ": bytes allocated by repeated calls");
        assertTrue(bytesAllocatedDuring(() -> Nd4j.create(DataType.FLOAT, 16)) >= 64, "the probe sees allocations");
    }

    private static long bytesAllocatedDuring(Runnable action) {
        WorkspaceConfiguration configuration = WorkspaceConfiguration.builder().initialSize(1 << 20)
                .policyAllocation(AllocationPolicy.STRICT).policyLearning(LearningPolicy.NONE).build();
        try (MemoryWorkspace probe = Nd4j.getWorkspaceManager().getAndActivateWorkspace(configuration,
                "allocation-probe-" + System.nanoTime())) {
            action.run();
            return probe.getPrimaryOffset();
        }
    }
}
