package io.spikeforge.engine.model;

import static io.spikeforge.engine.model.ModelTesting.idsnnLif;
import static io.spikeforge.engine.model.ModelTesting.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.model.Block;
import io.spikeforge.api.model.LayerInfo;
import io.spikeforge.api.model.LayerKind;
import io.spikeforge.api.model.ModelStructure;
import io.spikeforge.testkit.init.CifarResNet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

class ResNetStructureTest {
    static Stream<Arguments> architectures() {
        return Stream.of(
                Arguments.of(18, new int[] {2, 2, 2, 2}, new int[] {4, 8, 16, 32}),
                Arguments.of(34, new int[] {3, 4, 6, 3}, new int[] {4, 8, 16, 32}),
                Arguments.of(20, new int[] {3, 3, 3}, new int[] {16, 32, 64}));
    }

    private static ResNet.Builder builder(int depth, int[] widths) {
        return ResNet.builder().optDepth(depth).optWidths(widths);
    }

    private static ModelStructure testKit(int depth, int[] blocks, int[] widths) {
        return CifarResNet.builder().architecture("resnet" + depth).blocksPerStage(blocks).widths(widths)
                .build().structure();
    }

    @ParameterizedTest(name = "ResNet-{0}")
    @MethodSource("architectures")
    void theAnnIsTheTestKitsResNet(int depth, int[] blocks, int[] widths) {
        assertEquals(testKit(depth, blocks, widths), builder(depth, widths).build().structure());
    }

    @ParameterizedTest(name = "ResNet-{0}")
    @MethodSource("architectures")
    void spikingNetworksHaveTheTestKitsLayersWithTensorsAndNamedNeurons(int depth, int[] blocks, int[] widths) {
        ModelStructure reference = testKit(depth, blocks, widths);
        for (BlockType type : BlockType.values()) {
            ModelStructure structure = builder(depth, widths).optSpiking(idsnnLif(), 2).optBlockType(type).build()
                    .structure();
            assertEquals(withTensors(reference.stem()), withTensors(structure.stem()));
            assertEquals(reference.head(), structure.head());
            assertEquals(reference.stages().size(), structure.stages().size());
            for (int s = 0; s < reference.stages().size(); s++) {
                List<Block> expected = reference.stages().get(s).blocks();
                List<Block> actual = structure.stages().get(s).blocks();
                assertEquals(s + 1, structure.stages().get(s).index());
                assertEquals(expected.size(), actual.size());
                for (int b = 0; b < expected.size(); b++) {
                    Block block = actual.get(b);
                    assertEquals(expected.get(b).name(), block.name());
                    assertEquals(withTensors(expected.get(b).main()), withTensors(block.main()));
                    assertEquals(withTensors(expected.get(b).shortcut()), withTensors(block.shortcut()));
                    String prefix = block.name() + ".";
                    assertEquals(List.of(prefix + "sn1", prefix + "sn2"), activations(block.main()));
                    boolean projection = !block.shortcut().isEmpty();
                    assertEquals(projection && type == BlockType.SEW_ADD ? List.of(prefix + "downsample_sn") : List.of(),
                            activations(block.shortcut()));
                }
            }
            assertEquals(List.of("sn1"), activations(structure.stem()));
        }
    }

    /** Every state-dict tensor belongs to exactly one layer, and layers list them in state-dict order. */
    @ParameterizedTest(name = "ResNet-{0}")
    @MethodSource("architectures")
    void theStructureListsTheStateDictsTensorsInOrder(int depth, int[] blocks, int[] widths) {
        for (ResNet model : List.of(builder(depth, widths).build(),
                builder(depth, widths).optSpiking(idsnnLif(), 2).optBlockType(BlockType.SEW_ADD).build())) {
            List<String> listed = model.structure().layers().stream().flatMap(l -> l.tensors().stream()).toList();
            assertEquals(List.copyOf(model.stateDict().names()), listed);
        }
    }

    /** Firing rates are keyed by the structure's neuron layers, in forward order, and are rates. */
    @ParameterizedTest(name = "ResNet-{0}")
    @MethodSource("architectures")
    void firingRatesAreKeyedByTheNeuronLayers(int depth, int[] blocks, int[] widths) {
        assertTrue(builder(depth, widths).build().firingRates().isEmpty());
        for (BlockType type : BlockType.values()) {
            ResNet model = builder(depth, widths).optSpiking(idsnnLif(), 2).optBlockType(type).build();
            assertEquals(activations(model.structure().layers()), List.copyOf(model.firingRates().keySet()));
            assertTrue(model.firingRates().values().stream().allMatch(rate -> rate.isNaN()));
            model.forward(normal(3, DataType.FLOAT, 2, 3, 8, 8), true);
            assertTrue(model.firingRates().values().stream().allMatch(rate -> rate >= 0 && rate <= 1),
                    model.firingRates()::toString);
            assertTrue(model.firingRates().get("sn1") > 0, "the stem fires");
        }
    }

    private static List<LayerInfo> withTensors(List<LayerInfo> layers) {
        return layers.stream().filter(l -> l.kind() != LayerKind.ACTIVATION).toList();
    }

    private static List<String> activations(List<LayerInfo> layers) {
        return layers.stream().filter(l -> l.kind() == LayerKind.ACTIVATION).map(LayerInfo::name).toList();
    }
}
