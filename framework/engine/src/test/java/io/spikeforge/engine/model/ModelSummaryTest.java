package io.spikeforge.engine.model;

import static io.spikeforge.engine.model.ModelTesting.idsnnLif;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spikeforge.engine.layer.Conv2d;
import io.spikeforge.engine.layer.ActivationLayout;
import io.spikeforge.engine.layer.GlobalAvgPool2d;
import io.spikeforge.engine.layer.Linear;
import io.spikeforge.engine.layer.ReLU;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model's summary, by hand on a tiny spiking ResNet; a layer used twice (the ANN block's one
 * {@code relu}, a convolution applied twice) has a row at each use with its parameters counted once;
 * making a summary leaves the model as it was.
 */
class ModelSummaryTest {
    private static final int T = 3;

    /** 1 x 8 x 8 images, widths 2/4, one block per stage (the second strides by 2), 5 classes. */
    private static ResNet tiny() {
        return ResNet.builder().optInputChannels(1).optWidths(2, 4).optBlocksPerStage(1).optClasses(5).optSeed(4)
                .optSpiking(idsnnLif(), T).build();
    }

    @Test
    void eachLayerHasItsOutputShapeForEveryTimeStepItsParametersAndItsDenseMacs() {
        ModelSummary summary = ModelSummary.of(tiny(), 8, 8);

        Map<String, ModelSummary.Row> rows = summary.layers().stream()
                .collect(Collectors.toMap(ModelSummary.Row::name, row -> row));
        assertEquals(List.of("conv1", "bn1", "sn1", "layer1.0.conv1", "layer1.0.bn1", "layer1.0.sn1", "layer1.0.conv2",
                "layer1.0.bn2", "layer1.0.sn2", "layer2.0.conv1", "layer2.0.bn1", "layer2.0.sn1", "layer2.0.conv2",
                "layer2.0.bn2", "layer2.0.downsample.0", "layer2.0.downsample.1", "layer2.0.sn2", "avgpool",
                "mean_over_time", "fc"), summary.layers().stream().map(ModelSummary.Row::name).toList());
        // the encoding convolution runs once per image: 2 x 8 x 8 outputs of 1 x 3 x 3 MACs
        assertRow(rows.get("conv1"), T, new long[] {2, 8, 8}, 18, 2 * 64 * 9);
        assertRow(rows.get("sn1"), T, new long[] {2, 8, 8}, 0, 0);
        // a convolution inside runs at each step, as dense arithmetic: T x 2 x 8 x 8 outputs of 2 x 3 x 3
        assertRow(rows.get("layer1.0.conv1"), T, new long[] {2, 8, 8}, 36, T * 2 * 64 * 18);
        assertRow(rows.get("layer2.0.downsample.0"), T, new long[] {4, 4, 4}, 8, T * 4 * 16 * 2);
        assertRow(rows.get("layer2.0.bn2"), T, new long[] {4, 4, 4}, 8, 0);
        assertRow(rows.get("fc"), 1, new long[] {5}, 4 * 5 + 5, 4 * 5);
        assertEquals(tiny().parameterCount(), summary.totalParameters());
        assertArrayEquals(new long[] {1, 8, 8}, summary.inputShape());
    }

    @Test
    void theAnnBlocksOneReluHasARowAtEachUseTheSecondMarkedRepeated() {
        ResNet ann = ResNet.builder().optInputChannels(1).optWidths(2, 4).optBlocksPerStage(1).optClasses(5)
                .optSeed(4).build();

        ModelSummary summary = ModelSummary.of(ann, 8, 8);

        assertEquals(List.of("conv1", "bn1", "relu", "layer1.0.conv1", "layer1.0.bn1", "layer1.0.relu", "layer1.0.conv2",
                "layer1.0.bn2", "layer1.0.relu", "layer2.0.conv1", "layer2.0.bn1", "layer2.0.relu", "layer2.0.conv2",
                "layer2.0.bn2", "layer2.0.downsample.0", "layer2.0.downsample.1", "layer2.0.relu", "avgpool", "fc"),
                summary.layers().stream().map(ModelSummary.Row::name).toList());
        List<String> repeated = summary.layers().stream().filter(ModelSummary.Row::repeated)
                .map(ModelSummary.Row::name).toList();
        assertEquals(List.of("layer1.0.relu", "layer2.0.relu"), repeated);
        assertRow(summary.layers().get(16), 1, new long[] {4, 4, 4}, 0, 0); // after the addition
        assertEquals(ann.parameterCount(), summary.totalParameters());
    }

    @Test
    void aConvolutionAppliedTwiceCountsItsMacsAtEachUseAndItsParametersOnce() {
        Conv2d shared = new Conv2d(2, 2, 3, 1, 1, false, DataType.FLOAT);
        Linear fc = new Linear(2, 3, true, DataType.FLOAT);
        // one module under two names, as an nn.Module may register it (one name twice is refused)
        Sequential stem = new Sequential().add("conv", shared).add("relu", new ReLU(DataType.FLOAT))
                .add("conv_again", shared);
        Sequential head = new Sequential().add("avgpool", new GlobalAvgPool2d(DataType.FLOAT)).add("fc", fc);
        ComposedModel model = new ComposedModel(new ComposedModel.Composition("twice", 2, 3, 1, false,
                DataType.FLOAT, ActivationLayout.NCHW, new ComposedModel.NamedSequence("", stem), List.of(),
                new ComposedModel.NamedSequence("", head))) {
        };

        ModelSummary summary = ModelSummary.of(model, 8, 8);

        assertEquals(List.of("conv", "relu", "conv_again", "avgpool", "fc"),
                summary.layers().stream().map(ModelSummary.Row::name).toList());
        assertEquals(List.of(false, false, true, false, false),
                summary.layers().stream().map(ModelSummary.Row::repeated).toList());
        // 2 x 8 x 8 outputs of 2 x 3 x 3 MACs at each use
        assertRow(summary.layers().get(0), 1, new long[] {2, 8, 8}, 36, 2 * 64 * 18);
        assertRow(summary.layers().get(2), 1, new long[] {2, 8, 8}, 36, 2 * 64 * 18);
        assertEquals(36 + 2 * 3 + 3, summary.totalParameters());
        assertEquals(2 * (2 * 64 * 18) + 2 * 3, summary.totalMultiplyAccumulates(), 1e-9);
    }

    private static void assertRow(ModelSummary.Row row, long rows, long[] shape, long parameters, double macs) {
        assertEquals(rows, row.outputRows(), row.name());
        assertArrayEquals(shape, row.outputShape(), row.name());
        assertEquals(parameters, row.parameters(), row.name());
        assertEquals(macs, row.multiplyAccumulates(), 1e-9, row.name());
    }

    @Test
    void makingASummaryChangesNeitherTheOutputsNorTheEnergyMeasurement() {
        ResNet model = tiny();
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8);
        INDArray before = model.forward(images, false).dup();

        ModelSummary.of(model, 8, 8);

        assertEquals(before, model.forward(images, false));
        model.energy().orElseThrow().start();
        model.forward(images, false);
        model.energy().orElseThrow().stop();
        assertEquals(2, model.energy().orElseThrow().images());
    }
}
