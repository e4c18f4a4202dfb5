package io.spikeforge.testkit.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.model.Block;
import io.spikeforge.api.model.LayerInfo;
import io.spikeforge.api.model.LayerKind;
import io.spikeforge.api.model.ModelStructure;
import io.spikeforge.api.model.StateDict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class CifarResNetTest {
    @Test
    void namesAndShapesFollowTorchvision() {
        ModelAndState model = CifarResNet.builder().architecture("tiny").blocksPerStage(2, 1).widths(4, 8).classes(5)
                .build();
        StateDict state = model.state();
        List<String> expected = new ArrayList<>(List.of("conv1.weight"));
        expected.addAll(batchNorm("bn1"));
        for (String block : List.of("layer1.0", "layer1.1", "layer2.0")) {
            expected.add(block + ".conv1.weight");
            expected.addAll(batchNorm(block + ".bn1"));
            expected.add(block + ".conv2.weight");
            expected.addAll(batchNorm(block + ".bn2"));
            if (block.equals("layer2.0")) {
                expected.add(block + ".downsample.0.weight");
                expected.addAll(batchNorm(block + ".downsample.1"));
            }
        }
        expected.addAll(List.of("fc.weight", "fc.bias"));
        assertEquals(expected, List.copyOf(state.names()));

        assertArrayEquals(new long[] {4, 3, 3, 3}, state.get("conv1.weight").shape());
        assertArrayEquals(new long[] {4, 4, 3, 3}, state.get("layer1.1.conv2.weight").shape());
        assertArrayEquals(new long[] {8, 4, 3, 3}, state.get("layer2.0.conv1.weight").shape());
        assertArrayEquals(new long[] {8, 8, 3, 3}, state.get("layer2.0.conv2.weight").shape());
        assertArrayEquals(new long[] {8, 4, 1, 1}, state.get("layer2.0.downsample.0.weight").shape());
        assertArrayEquals(new long[] {8}, state.get("layer2.0.downsample.1.running_var").shape());
        assertArrayEquals(new long[] {5, 8}, state.get("fc.weight").shape());
        assertArrayEquals(new long[] {5}, state.get("fc.bias").shape());
    }

    @Test
    void structureListsEveryTensorOnceUnderItsLayer() {
        ModelAndState model = CifarResNet.builder().blocksPerStage(3, 4, 6, 3).widths(4, 8, 16, 32).build();
        ModelStructure structure = model.structure();
        List<String> listed = structure.layers().stream().flatMap(l -> l.tensors().stream()).toList();
        assertEquals(List.copyOf(model.state().names()), listed);

        assertEquals(List.of(3, 4, 6, 3), structure.stages().stream().map(s -> s.blocks().size()).toList());
        Block strided = structure.stages().get(1).blocks().get(0);
        assertEquals("layer2.0", strided.name());
        assertEquals(List.of("downsample.0", "downsample.1"), strided.shortcut().stream().map(LayerInfo::localName).toList());
        assertEquals(List.of(LayerKind.CONVOLUTION, LayerKind.BATCH_NORM), strided.shortcut().stream().map(LayerInfo::kind).toList());
        assertTrue(structure.stages().get(0).blocks().get(0).shortcut().isEmpty(), "layer1.0 keeps the width: identity shortcut");
        assertTrue(structure.stages().get(1).blocks().get(1).shortcut().isEmpty(), "layer2.1: identity shortcut");
        long convolutions = structure.layers().stream().filter(l -> l.kind() == LayerKind.CONVOLUTION).count();
        assertEquals(1 + 2 * 16 + 3, convolutions, "ResNet-34: stem, two per block, three downsampling shortcuts");
        assertEquals(List.of("avgpool", "fc"), structure.head().stream().map(LayerInfo::name).toList());
    }

    @Test
    void equalSeedsGiveEqualValuesInNewArrays() {
        CifarResNet.Builder builder = CifarResNet.builder().blocksPerStage(1, 1).widths(4, 8).seed(42);
        StateDict first = builder.build().state();
        StateDict second = builder.build().state();
        StateDict other = builder.seed(43).build().state();
        for (String name : first.names()) {
            assertNotSame(first.get(name), second.get(name), name);
            assertEquals(first.get(name), second.get(name), name);
            assertNotEquals(first.get(name), other.get(name), name);
        }
    }

    @Test
    void valuesFollowTheDocumentedDistributions() {
        StateDict state = CifarResNet.builder().blocksPerStage(1).widths(64).dataType(DataType.DOUBLE).seed(9).build().state();
        double convStd = state.get("layer1.0.conv1.weight").stdNumber().doubleValue();
        assertEquals(Math.sqrt(2.0 / (64 * 9)), convStd, 0.05 * convStd, "He-normal standard deviation");
        double minVar = state.get("bn1.running_var").minNumber().doubleValue();
        double maxVar = state.get("bn1.running_var").maxNumber().doubleValue();
        assertTrue(minVar >= 0.5 && maxVar <= 1.5, "running variances in [0.5, 1.5]: " + minVar + ".." + maxVar);
        assertEquals(DataType.DOUBLE, state.get("fc.weight").dataType());
    }

    @Test
    void kernelSizeAppliesToStemAndMainPathButNotShortcuts() {
        StateDict state = CifarResNet.builder().blocksPerStage(1, 1).widths(4, 8).kernelSize(5).build().state();
        assertArrayEquals(new long[] {4, 3, 5, 5}, state.get("conv1.weight").shape());
        assertArrayEquals(new long[] {8, 8, 5, 5}, state.get("layer2.0.conv2.weight").shape());
        assertArrayEquals(new long[] {8, 4, 1, 1}, state.get("layer2.0.downsample.0.weight").shape());
    }

    @Test
    void rejectsInconsistentSettings() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> CifarResNet.builder().blocksPerStage(2, 2).widths(4, 8, 16).build());
        assertTrue(error.getMessage().contains("blocksPerStage [2, 2]") && error.getMessage().contains("widths [4, 8, 16]"),
                error.getMessage());
        assertFalse(assertThrows(IllegalArgumentException.class, () -> CifarResNet.builder().widths(0, 8, 16, 32).build())
                .getMessage().isBlank());
    }

    private static List<String> batchNorm(String layer) {
        return List.of(layer + ".weight", layer + ".bias", layer + ".running_mean", layer + ".running_var");
    }
}
