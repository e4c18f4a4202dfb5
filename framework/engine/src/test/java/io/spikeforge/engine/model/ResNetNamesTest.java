package io.spikeforge.engine.model;

import static io.spikeforge.engine.model.ModelTesting.idsnnLif;
import static io.spikeforge.engine.model.ModelTesting.normal;
import static io.spikeforge.engine.model.ModelTesting.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.model.LayerInfo;
import io.spikeforge.api.model.LayerKind;
import io.spikeforge.api.model.StateDict;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.testkit.neuron.LifTestNeuron;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ResNetNamesTest {
    /** torchvision's resnet18().state_dict() keys without the 20 num_batches_tracked entries. */
    private static final List<String> RESNET18_NAMES = Arrays.asList("""
            conv1.weight
            bn1.weight bn1.bias bn1.running_mean bn1.running_var
            layer1.0.conv1.weight
            layer1.0.bn1.weight layer1.0.bn1.bias layer1.0.bn1.running_mean layer1.0.bn1.running_var
            layer1.0.conv2.weight
            layer1.0.bn2.weight layer1.0.bn2.bias layer1.0.bn2.running_mean layer1.0.bn2.running_var
            layer1.1.conv1.weight
            layer1.1.bn1.weight layer1.1.bn1.bias layer1.1.bn1.running_mean layer1.1.bn1.running_var
            layer1.1.conv2.weight
            layer1.1.bn2.weight layer1.1.bn2.bias layer1.1.bn2.running_mean layer1.1.bn2.running_var
            layer2.0.conv1.weight
            layer2.0.bn1.weight layer2.0.bn1.bias layer2.0.bn1.running_mean layer2.0.bn1.running_var
            layer2.0.conv2.weight
            layer2.0.bn2.weight layer2.0.bn2.bias layer2.0.bn2.running_mean layer2.0.bn2.running_var
            layer2.0.downsample.0.weight
            layer2.0.downsample.1.weight layer2.0.downsample.1.bias layer2.0.downsample.1.running_mean
            layer2.0.downsample.1.running_var
            layer2.1.conv1.weight
            layer2.1.bn1.weight layer2.1.bn1.bias layer2.1.bn1.running_mean layer2.1.bn1.running_var
            layer2.1.conv2.weight
            layer2.1.bn2.weight layer2.1.bn2.bias layer2.1.bn2.running_mean layer2.1.bn2.running_var
            layer3.0.conv1.weight
            layer3.0.bn1.weight layer3.0.bn1.bias layer3.0.bn1.running_mean layer3.0.bn1.running_var
            layer3.0.conv2.weight
            layer3.0.bn2.weight layer3.0.bn2.bias layer3.0.bn2.running_mean layer3.0.bn2.running_var
            layer3.0.downsample.0.weight
            layer3.0.downsample.1.weight layer3.0.downsample.1.bias layer3.0.downsample.1.running_mean
            layer3.0.downsample.1.running_var
            layer3.1.conv1.weight
            layer3.1.bn1.weight layer3.1.bn1.bias layer3.1.bn1.running_mean layer3.1.bn1.running_var
            layer3.1.conv2.weight
            layer3.1.bn2.weight layer3.1.bn2.bias layer3.1.bn2.running_mean layer3.1.bn2.running_var
            layer4.0.conv1.weight
            layer4.0.bn1.weight layer4.0.bn1.bias layer4.0.bn1.running_mean layer4.0.bn1.running_var
            layer4.0.conv2.weight
            layer4.0.bn2.weight layer4.0.bn2.bias layer4.0.bn2.running_mean layer4.0.bn2.running_var
            layer4.0.downsample.0.weight
            layer4.0.downsample.1.weight layer4.0.downsample.1.bias layer4.0.downsample.1.running_mean
            layer4.0.downsample.1.running_var
            layer4.1.conv1.weight
            layer4.1.bn1.weight layer4.1.bn1.bias layer4.1.bn1.running_mean layer4.1.bn1.running_var
            layer4.1.conv2.weight
            layer4.1.bn2.weight layer4.1.bn2.bias layer4.1.bn2.running_mean layer4.1.bn2.running_var
            fc.weight fc.bias""".trim().split("\\s+"));

    private static ResNet.Builder small() {
        return ResNet.builder().optWidths(4, 8, 16, 32);
    }

    @Test
    void resNet18HasTorchvisionsStateDictNames() {
        assertEquals(102, RESNET18_NAMES.size());
        assertEquals(RESNET18_NAMES, List.copyOf(small().build().stateDict().names()));
    }

    @Test
    void spikingVariantsHaveTheAnnsNamesAndShapes() {
        StateDict ann = small().build().stateDict();
        for (BlockType type : BlockType.values()) {
            for (BatchNormMode mode : BatchNormMode.values()) {
                StateDict snn = small().optSpiking(idsnnLif(), 2).optBlockType(type).optBatchNorm(mode).build().stateDict();
                assertEquals(RESNET18_NAMES, List.copyOf(snn.names()), type + " " + mode);
                for (String name : RESNET18_NAMES) {
                    assertEquals(ann.shapeOf(name), snn.shapeOf(name), name);
                }
            }
        }
    }

    /**
     * Blocks have 10 tensors (2 convolutions, 2 BNs of 4), 15 with a projection shortcut; stem 5,
     * classifier 2. ResNet-34: 16 blocks, 3 projections; 20 / 56 / 110: 9 / 27 / 54 blocks, 2
     * projections (the first stage keeps width and size).
     */
    @ParameterizedTest(name = "ResNet-{0}")
    @CsvSource({"34, 182", "20, 107", "56, 287", "110, 557"})
    void stateDictSizes(int depth, int tensors) {
        ResNet.Builder builder = ResNet.builder().optDepth(depth);
        if (depth == 34) {
            builder.optWidths(4, 8, 16, 32);
        }
        ResNet model = builder.build();
        assertEquals(tensors, model.stateDict().names().size());
        assertEquals("resnet" + depth, model.architecture());
    }

    @Test
    void architectureNamesSayWhatRuns() {
        assertEquals("spiking-resnet34", small().optDepth(34).optSpiking(idsnnLif(), 2).build().architecture());
        assertEquals("sew-resnet18", small().optSpiking(idsnnLif(), 2).optBlockType(BlockType.SEW_ADD).build()
                .architecture());
    }

    /**
     * Counted by hand (weights and biases, 10 classes, widths 64/128/256/512): stem 1,728 + 128;
     * a 64-wide block 2 * 36,864 + 256 = 73,984; the first block of stage 2 73,728 + 147,456 + 512 +
     * a projection of 8,192 + 256 = 230,144, its other blocks 295,424; stage 3: 919,040 and
     * 1,180,672; stage 4: 3,673,088 and 4,720,640; fc 5,130. ResNet-18 (2/2/2/2): 11,173,962;
     * ResNet-34 (3/4/6/3): 21,282,122, the numbers PyTorch reports for these CIFAR models.
     * ResNet-20 with projection shortcuts (option B): 269,722 as in He et al. with option A, plus
     * two projections 16->32 and 32->64 with their BNs (512 + 64 + 2,048 + 128 = 2,752).
     */
    @ParameterizedTest(name = "ResNet-{0}")
    @CsvSource({"18, 11173962", "34, 21282122", "20, 272474"})
    void parameterCountsAreThoseOfPyTorch(int depth, long count) {
        assertEquals(count, ResNet.builder().optDepth(depth).build().parameterCount());
    }

    @Test
    void parametersAreTheStateDictsTrainableTensors() {
        ResNet model = small().optSpiking(idsnnLif(), 2).build();
        List<String> trainable = RESNET18_NAMES.stream().filter(n -> !n.contains("running_")).toList();
        assertEquals(trainable, List.copyOf(model.parameters().keySet()));
        model.parameters().forEach((name, p) -> assertSame(model.stateDict().get(name), p.value(), name));
    }

    @Test
    void initializationIsTorchvisionsWithTheChosenBatchNormWeight() {
        ResNet ann = ResNet.builder().build();
        StateDict state = ann.stateDict();
        assertArrayEquals(new long[] {64, 3, 3, 3}, state.get("conv1.weight").shape());
        assertArrayEquals(new long[] {128, 64, 1, 1}, state.get("layer2.0.downsample.0.weight").shape());
        assertArrayEquals(new long[] {10, 512}, state.get("fc.weight").shape());
        // kaiming normal, fan_out: std sqrt(2 / (512 * 9)); 2.4 million draws pin it to well under 1 %
        INDArray deep = state.get("layer4.1.conv2.weight");
        assertEquals(0, deep.meanNumber().doubleValue(), 1e-4);
        assertEquals(Math.sqrt(2.0 / (512 * 9)), deep.stdNumber().doubleValue(), 0.01 * Math.sqrt(2.0 / (512 * 9)));
        double projectionStd = state.get("layer3.0.downsample.0.weight").stdNumber().doubleValue();
        assertEquals(Math.sqrt(2.0 / 256), projectionStd, 0.02 * Math.sqrt(2.0 / 256));
        // PyTorch's Linear default: U(-1/sqrt(512), 1/sqrt(512)) for weight and bias
        for (String name : List.of("fc.weight", "fc.bias")) {
            double bound = 1 / Math.sqrt(512);
            double max = state.get(name).amaxNumber().doubleValue();
            assertTrue(max <= bound && max > 0.5 * bound, name + " max " + max);
        }

        assertBatchNorms(ann, 1.0);
        assertBatchNorms(small().optSpiking(idsnnLif(), 2).build(), 0.5);
        assertBatchNorms(small().optSpiking(idsnnLif(), 2).optTdbnInitialWeight(0.7).build(), 0.7);
        assertBatchNorms(small().optSpiking(idsnnLif(), 2).optBatchNorm(BatchNormMode.BN).build(), 1.0);
    }

    @Test
    void tdbnWeightsStartAtTheThresholdOfTheNeuronsAfterThem() {
        NeuronFactory integrateAndFire = (layer, type) -> LifTestNeuron.builder().optDecay(1).optThreshold(1.0).optSoftReset()
                .optFireAtThreshold(true).build();
        for (BlockType block : BlockType.values()) {
            // widths 4/8/8 give projection shortcuts too
            assertBatchNorms(small().optSpiking(integrateAndFire, 2).optBlockType(block).build(), 1.0);
        }
        NeuronFactory lifAt075 = (layer, type) -> LifTestNeuron.builder().optThreshold(0.75).build();
        assertBatchNorms(small().optSpiking(lifAt075, 2).optBlockType(BlockType.SEW_ADD).build(), 0.75);

        // a neuron without a threshold needs the weight given
        NeuronFactory noThreshold = (layer, type) -> new NeuronModel() {
            private final NeuronModel smooth = new ModelTesting.SmoothLifNeuron(4);

            @Override
            public INDArray forward(INDArray current, int timeSteps, boolean training) {
                return smooth.forward(current, timeSteps, training);
            }

            @Override
            public INDArray backward(INDArray gradSpikes) {
                return smooth.backward(gradSpikes);
            }

            @Override
            public void clear() {
                smooth.clear();
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> small().optSpiking(noThreshold, 2).optDataType(DataType.DOUBLE).build());
        assertTrue(e.getMessage().contains("threshold") && e.getMessage().contains("bn1"), e.getMessage());
        assertBatchNorms(small().optSpiking(noThreshold, 2).optDataType(DataType.DOUBLE).optTdbnInitialWeight(0.3)
                .build(), 0.3);
    }

    /** Every BN layer: the given weight, bias 0, running mean 0, running variance 1. */
    private static void assertBatchNorms(ResNet model, double weight) {
        for (LayerInfo layer : model.structure().layers()) {
            if (layer.kind() == LayerKind.BATCH_NORM) {
                for (String name : layer.tensors()) {
                    double expected = name.endsWith(".weight") ? weight : name.endsWith(".running_var") ? 1 : 0;
                    assertTrue(Arrays.stream(values(model.stateDict().get(name)))
                            .allMatch(v -> Math.abs(v - expected) < 1e-7), name);
                }
            }
        }
    }

    @Test
    void writesThroughTheStateDictChangeTheModel() {
        ResNet model = small().optClasses(3).build();
        INDArray images = normal(1, DataType.FLOAT, 2, 3, 8, 8);
        double[] before = values(model.forward(images, false));
        model.stateDict().get("fc.bias").addi(1.5);
        double[] after = values(model.forward(images, false));
        for (int i = 0; i < before.length; i++) {
            assertEquals(before[i] + 1.5, after[i], 1e-5);
        }
    }

    @Test
    void blocksPerStageOverrideTheDepth() {
        ResNet oneBlock = ResNet.builder().optDepth(20).optBlocksPerStage(1).build();
        assertEquals("resnet8", oneBlock.architecture());
        assertEquals(3, oneBlock.structure().stages().size());
        assertTrue(oneBlock.structure().stages().stream().allMatch(s -> s.blocks().size() == 1));
        ResNet custom = ResNet.builder().optWidths(4, 8).optBlocksPerStage(2, 1).build();
        assertEquals(List.of(2, 1), custom.structure().stages().stream().map(s -> s.blocks().size()).toList());
        assertEquals("resnet8", custom.architecture());
    }

    @Test
    void rejectsInconsistentSettings() {
        Stream.<Runnable>of(
                () -> ResNet.builder().optDepth(19).build(),
                () -> ResNet.builder().optWidths(16, 32, 64).build(),
                () -> ResNet.builder().optBlocksPerStage(1, 1).build(),
                () -> ResNet.builder().optWidths(4, 0, 8, 8).build(),
                () -> ResNet.builder().optClasses(0).build(),
                () -> ResNet.builder().optBlockType(BlockType.SEW_ADD).build(),
                () -> ResNet.builder().optBatchNorm(BatchNormMode.TDBN).build(),
                () -> ResNet.builder().optSpiking(idsnnLif(), 0).build(),
                () -> ResNet.builder().optDataType(DataType.INT32).build())
                .forEach(build -> assertThrows(IllegalArgumentException.class, build::run));
        ResNet model = small().build();
        assertThrows(IllegalArgumentException.class, () -> model.forward(normal(1, DataType.FLOAT, 2, 1, 8, 8), true));
        assertThrows(IllegalArgumentException.class, () -> model.forward(normal(1, DataType.DOUBLE, 2, 3, 8, 8), true));
    }
}
