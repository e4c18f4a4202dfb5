package io.spikeforge.engine.model;

import static io.spikeforge.engine.model.ModelTesting.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.model.LayerKind;
import io.spikeforge.engine.layer.BatchNorm2d;
import io.spikeforge.engine.layer.Conv2d;
import io.spikeforge.engine.layer.Layer;
import io.spikeforge.engine.layer.ReLU;
import io.spikeforge.engine.tensor.BufferCache;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Names in compositions, and errors from a layer that name it by its state-dict prefix. */
class CompositeTest {
    private static final DataType TYPE = DataType.DOUBLE;

    /** {@code layer2.0}: conv1 (4 -> 4), then a BN layer of {@code bnChannels}, plus the identity. */
    private static Sequential stageWithBlock(int bnChannels, Layer afterBatchNorm) {
        Sequential main = new Sequential().add("conv1", new Conv2d(4, 4, 3, 1, 1, false, TYPE))
                .add("bn1", BatchNorm2d.standard(bnChannels, TYPE)).add("relu", LayerKind.ACTIVATION, afterBatchNorm);
        Residual block = new Residual(main, new Sequential(), "relu", new ReLU(TYPE), TYPE, new BufferCache(),
                "block");
        Sequential stage = new Sequential().add("0", block);
        return new Sequential().add("layer2", stage);
    }

    @Test
    void layersAreNamedByTheirPlaceAndTensorsRelativeToTheComposite() {
        Sequential model = stageWithBlock(4, new ReLU(TYPE));

        assertEquals(List.of("layer2.0.conv1", "layer2.0.bn1", "layer2.0.relu"), List.copyOf(model.layers().keySet()));
        assertEquals(List.of("layer2.0.conv1.weight", "layer2.0.bn1.weight", "layer2.0.bn1.bias",
                "layer2.0.bn1.running_mean", "layer2.0.bn1.running_var"), List.copyOf(model.stateTensors().keySet()));
        assertThrows(IllegalArgumentException.class, () -> new Sequential().add("a", new ReLU(TYPE))
                .add("a", new ReLU(TYPE)));
    }

    @Test
    void anErrorInALayerNamesItByItsStateDictPrefix() {
        Sequential model = stageWithBlock(5, new ReLU(TYPE));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.forward(normal(1, TYPE, 2, 4, 6, 6), true));

        assertTrue(e.getMessage().startsWith("layer2.0.bn1 (BatchNorm2d): "), e.getMessage());
        assertEquals(1, e.getMessage().split("layer2.0.bn1").length - 1, "named once: " + e.getMessage());
    }

    @Test
    void aBackwardWithoutForwardIsStillAStateErrorNamingTheLayer() {
        ResNet model = ResNet.builder().optDepth(20).optBlocksPerStage(1).optWidths(2, 2, 2).build();
        model.forward(normal(1, DataType.FLOAT, 2, 3, 8, 8), false);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> model.backward(normal(2, DataType.FLOAT, 2, 10)));

        assertTrue(e.getMessage().startsWith("fc (Linear): "), e.getMessage());
    }

    @Test
    void otherFailuresBecomeALayerExceptionWithTheName() {
        Layer failing = new Layer() {
            @Override
            public INDArray forward(INDArray input, boolean training) {
                return input;
            }

            @Override
            public INDArray backward(INDArray gradOutput) {
                throw new ArithmeticException("overflow");
            }
        };
        Sequential model = stageWithBlock(4, failing);
        INDArray output = model.forward(normal(1, TYPE, 2, 4, 6, 6), true);

        LayerException e = assertThrows(LayerException.class, () -> model.backward(output.like()));

        assertEquals("layer2.0.relu", e.layerName());
        assertTrue(e.getMessage().endsWith("overflow"), e.getMessage());
    }
}
