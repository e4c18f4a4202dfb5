package io.spikeforge.engine.model;

import static io.spikeforge.engine.model.ModelTesting.idsnnLif;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.engine.tensor.MemoryBudget;
import io.spikeforge.engine.tensor.MemoryEstimate;
import io.spikeforge.testkit.neuron.LifTestNeuron;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The memory estimate of a ResNet against the model it describes, and the refusal of absurd sizes. */
class ResNetMemoryTest {
    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("ANN ResNet-18", ResNet.builder().optWidths(4, 8, 16, 32)),
                Arguments.of("ANN ResNet-20", ResNet.builder().optDepth(20).optClasses(100)),
                Arguments.of("spiking", ResNet.builder().optDepth(20).optWidths(8, 16, 32).optBlocksPerStage(1)
                        .optSpiking(idsnnLif(), 4)),
                Arguments.of("SEW", ResNet.builder().optWidths(4, 8, 16, 32).optSpiking(idsnnLif(), 2)
                        .optBlockType(BlockType.SEW_ADD)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void parametersAndStateAreCountedExactly(String name, ResNet.Builder builder) {
        ResNet model = builder.build();
        long stateValues = model.stateDict().names().stream().mapToLong(n -> model.stateDict().get(n).length()).sum();

        MemoryEstimate evaluated = builder.estimateMemory(32, List.of(), List.of(8));
        MemoryEstimate trained = builder.estimateMemory(32, List.of(8), List.of(8));

        assertEquals(4.0 * stateValues, evaluated.parameterBytes(), "values and BN statistics, as floats");
        assertEquals(4.0 * model.parameterCount(), evaluated.gradientBytes(), "gradients exist from the start");
        assertEquals(0, evaluated.optimizerBytes());
        assertEquals(4.0 * model.parameterCount(), trained.optimizerBytes(), "one momentum buffer per parameter");
        assertTrue(trained.activationBytes() > evaluated.activationBytes(), "training keeps what backward needs");
    }

    @Test
    void activationsGrowWithTheBatchTheTimeStepsAndEveryDistinctBatchSize() {
        ResNet.Builder spiking = ResNet.builder().optDepth(20).optWidths(8, 16, 32).optBlocksPerStage(1)
                .optSpiking(idsnnLif(), 4);
        double at32 = spiking.estimateMemory(32, List.of(32), List.of()).activationBytes();
        double at64 = spiking.estimateMemory(32, List.of(64), List.of()).activationBytes();
        assertEquals(2, at64 / at32, 0.01, "the buffers are per sample");
        double twoSizes = spiking.estimateMemory(32, List.of(64, 8), List.of()).activationBytes();
        assertEquals(at64 * 72 / 64, twoSizes, 0.02 * at64, "a smaller last batch has buffers of its own");
        double t8 = ResNet.builder().optDepth(20).optWidths(8, 16, 32).optBlocksPerStage(1).optSpiking(idsnnLif(), 8)
                .estimateMemory(32, List.of(32), List.of()).activationBytes();
        assertTrue(t8 > 1.8 * at32 && t8 < 2.1 * at32, "T rows per image: " + t8 / at32);
    }

    /**
     * A neuron that keeps more for backward than lif reports it, and the estimate counts the extra
     * bytes for every element of every spiking layer's current: exactly what the built model's
     * neurons see in a training forward.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("spikingModels")
    void whatTheNeuronsReportKeepingForBackwardIsCountedForEveryLayer(String name,
                                                                      Function<NeuronFactory, ModelBuilder> family) {
        int batch = 3;
        List<Long> seen = new ArrayList<>();
        double lifLike = family.apply(reporting(Float.BYTES, seen)).estimateMemory(32, List.of(batch), List.of())
                .activationBytes();
        double keepsMore = family.apply(reporting(3 * Float.BYTES, seen)).estimateMemory(32, List.of(batch),
                List.of()).activationBytes();

        seen.clear();
        Model model = family.apply(reporting(3 * Float.BYTES, seen)).build();
        model.forward(Nd4j.rand(DataType.FLOAT, batch, 3, 32, 32), true);
        assertTrue(seen.size() > 3, "spiking layers: " + seen);
        double elements = seen.stream().mapToLong(Long::longValue).sum();
        assertEquals(2.0 * Float.BYTES * elements, keepsMore - lifLike, 1e-6 * keepsMore,
                "two more floats per element of every spiking layer's current");
    }

    static Stream<Arguments> spikingModels() {
        return Stream.of(
                Arguments.of("spiking ResNet", (Function<NeuronFactory, ModelBuilder>) neurons -> ResNet.builder()
                        .optDepth(20).optWidths(4, 8, 8).optBlocksPerStage(1).optSpiking(neurons, 2)),
                Arguments.of("SEW ResNet", (Function<NeuronFactory, ModelBuilder>) neurons -> ResNet.builder()
                        .optWidths(4, 4, 8, 8).optBlocksPerStage(1).optSpiking(neurons, 2)
                        .optBlockType(BlockType.SEW_ADD)),
                Arguments.of("spiking VGG", (Function<NeuronFactory, ModelBuilder>) neurons -> Vgg.builder()
                        .optWidths(4, 4, 8, 8, 8, 8, 8, 8).optSpiking(neurons, 2)));
    }

    /** lif's test neurons that report keeping {@code bytes} per element and record the size of every training current. */
    private static NeuronFactory reporting(double bytes, List<Long> seen) {
        return (layer, type) -> new NeuronModel() {
            private final NeuronModel lif = LifTestNeuron.builder().build();

            @Override
            public INDArray forward(INDArray current, int timeSteps, boolean training) {
                if (training) {
                    seen.add(current.length());
                }
                return lif.forward(current, timeSteps, training);
            }

            @Override
            public INDArray backward(INDArray gradSpikes) {
                return lif.backward(gradSpikes);
            }

            @Override
            public void clear() {
                lif.clear();
            }

            @Override
            public OptionalDouble threshold() {
                return lif.threshold();
            }

            @Override
            public double trainingBytesPerElement(DataType dataType) {
                return bytes;
            }
        };
    }

    @Test
    void absurdWidthsAreRefusedBeforeAnythingIsAllocated() {
        ResNet.Builder absurd = ResNet.builder().optDepth(20).optWidths(16, 32, 1_000_000);

        InsufficientMemoryException e = assertThrows(InsufficientMemoryException.class, absurd::build);

        // 1e6 x 1e6 x 9 weights in each of stage 3's convolutions: values and gradients
        assertTrue(e.estimate().totalBytes() > 8 * 1e12 * 9, e.getMessage());
        assertTrue(e.getMessage().startsWith("the model's parameters and their gradients need "), e.getMessage());
        assertTrue(e.getMessage().contains("more than the memory left: "), e.getMessage());
        assertTrue(e.budget().availableBytes() < e.estimate().totalBytes());
        assertTrue(MemoryBudget.current().toString().contains("maxphysicalbytes"), MemoryBudget.current().toString());
    }

    @Test
    void sizesAreFormattedInBinaryUnits() {
        assertEquals("512 B", MemoryEstimate.format(512));
        assertEquals("1.50 KiB", MemoryEstimate.format(1536));
        assertEquals("236 MiB", MemoryEstimate.format(236.4 * 1024 * 1024));
        assertEquals("32.7 TiB", MemoryEstimate.format(32.7 * Math.pow(1024, 4)));
        assertEquals("1.00 GiB (parameters 512 MiB, activations 512 MiB)",
                new MemoryEstimate(512 * 1024 * 1024.0, 0, 0, 512 * 1024 * 1024.0, 0, 0).toString());
    }
}
