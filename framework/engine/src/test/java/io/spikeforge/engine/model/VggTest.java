package io.spikeforge.engine.model;

import static io.spikeforge.engine.model.ModelTesting.idsnnLif;
import static io.spikeforge.engine.model.ModelTesting.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.model.LayerInfo;
import io.spikeforge.api.model.LayerKind;
import io.spikeforge.api.model.ModelStructure;
import io.spikeforge.engine.tensor.MemoryEstimate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** VGG's names, sizes, structure and memory estimate, against torchvision's vgg11_bn / vgg16_bn and CIFAR VGGs. */
class VggTest {
    @Test
    void vgg11HasTorchvisionNamesAndTheCifarParameterCount() {
        Vgg model = Vgg.builder().build();

        List<String> expected = new ArrayList<>();
        for (int conv : new int[] {0, 4, 8, 11, 15, 18, 22, 25}) {
            expected.addAll(List.of("features." + conv + ".weight", "features." + conv + ".bias"));
            int bn = conv + 1;
            expected.addAll(List.of("features." + bn + ".weight", "features." + bn + ".bias",
                    "features." + bn + ".running_mean", "features." + bn + ".running_var"));
        }
        expected.addAll(List.of("classifier.weight", "classifier.bias"));
        assertEquals(expected, List.copyOf(model.stateDict().names()));
        // torchvision's vgg11_bn features with kuangliu's CIFAR head (nn.Linear(512, 10)): 9,231,114
        assertEquals(9_231_114, model.parameterCount());
        assertEquals("vgg11", model.architecture());
        assertEquals(List.of(64L, 3L, 3L, 3L), List.of(model.stateDict().get("features.0.weight").shape()[0], 3L,
                3L, 3L));
        assertEquals(512, model.stateDict().get("classifier.weight").shape()[1]);
    }

    @Test
    void vgg16HasThirteenConvolutionsAndTheCifarParameterCount() {
        Vgg model = Vgg.builder().optDepth(16).optClasses(100).build();

        assertEquals(13 * 2 + 13 * 4 + 2, model.stateDict().names().size());
        assertTrue(model.stateDict().names().contains("features.40.weight"), "the last convolution");
        assertTrue(model.stateDict().names().contains("features.41.running_var"), "the last BN");
        assertEquals(14_728_266 + 90 * 513, model.parameterCount(), "14,728,266 with 10 classes");
        assertEquals(List.of(100L, 512L), List.of(model.stateDict().get("classifier.weight").shape()[0],
                model.stateDict().get("classifier.weight").shape()[1]));
    }

    @Test
    void theStructureIsTheFeatureExtractorAndTheHeadWithoutStages() {
        ModelStructure ann = Vgg.builder().build().structure();

        assertEquals("vgg11", ann.architecture());
        assertEquals(List.of(), ann.stages());
        assertEquals(29, ann.stem().size(), "8 x (conv, bn, relu) and 5 poolings");
        assertEquals(new LayerInfo("features.0", LayerKind.CONVOLUTION, List.of("features.0.weight",
                "features.0.bias")), ann.stem().get(0));
        assertEquals(LayerKind.BATCH_NORM, ann.layer("features.1").orElseThrow().kind());
        assertEquals(LayerKind.ACTIVATION, ann.layer("features.2").orElseThrow().kind());
        assertEquals(LayerKind.POOLING, ann.layer("features.3").orElseThrow().kind());
        assertEquals(List.of("avgpool", "classifier"), ann.head().stream().map(LayerInfo::name).toList());
        List<String> tensors = ann.layers().stream().flatMap(l -> l.tensors().stream()).toList();
        assertEquals(List.copyOf(Vgg.builder().build().stateDict().names()), tensors, "every tensor in one layer, in order");
    }

    @Test
    void theSpikingVggHasTheAnnNamesAndReportsEachNeuronLayer() {
        Vgg spiking = Vgg.builder().optWidths(4, 4, 8, 8, 8, 8, 8, 8).optSpiking(idsnnLif(), 2)
                .optPooling(Pooling2d.Mode.AVERAGE).build();
        Vgg ann = Vgg.builder().optWidths(4, 4, 8, 8, 8, 8, 8, 8).build();

        assertEquals(List.copyOf(ann.stateDict().names()), List.copyOf(spiking.stateDict().names()));
        assertEquals("spiking-vgg11", spiking.architecture());
        assertEquals(2, spiking.timeSteps());
        assertEquals(List.of("features.2", "features.6", "features.10", "features.13", "features.17", "features.20",
                "features.24", "features.27"), List.copyOf(spiking.firingRates().keySet()));
        assertTrue(spiking.firingRates().values().stream().allMatch(rate -> rate.isNaN()), "before any forward");

        INDArray logits = spiking.forward(normal(1, DataType.FLOAT, 3, 3, 32, 32), false);

        assertEquals(List.of(3L, 10L), List.of(logits.shape()[0], logits.shape()[1]));
        assertTrue(spiking.firingRates().values().stream().allMatch(rate -> rate >= 0 && rate <= 1),
                spiking.firingRates().toString());
        // tdBN starts at the LIF threshold, 0.5
        assertEquals(0.5, spiking.stateDict().get("features.1.weight").getDouble(0), 0);
        assertEquals(1.0, ann.stateDict().get("features.1.weight").getDouble(0), 0);
    }

    @Test
    void equalSeedsGiveEqualWeightsAndConvolutionBiasesStartAtZero() {
        Vgg a = Vgg.builder().optWidths(4, 4, 8, 8, 8, 8, 8, 8).optSeed(7).build();
        Vgg b = Vgg.builder().optWidths(4, 4, 8, 8, 8, 8, 8, 8).optSeed(7).build();
        Vgg c = Vgg.builder().optWidths(4, 4, 8, 8, 8, 8, 8, 8).optSeed(8).build();

        for (String name : a.stateDict().names()) {
            assertEquals(a.stateDict().get(name), b.stateDict().get(name), name);
        }
        assertTrue(!a.stateDict().get("features.4.weight").equals(c.stateDict().get("features.4.weight")));
        assertEquals(0, a.stateDict().get("features.0.bias").sumNumber().doubleValue(), 0);
        // kaiming normal, fan_out: std sqrt(2 / (4 * 9)) for the first convolution
        double std = a.stateDict().get("features.0.weight").stdNumber().doubleValue();
        assertTrue(Math.abs(std - Math.sqrt(2.0 / 36)) < 0.1, "std " + std);
    }

    @Test
    void twentyEightPixelImagesReachOneByOneAndOneChannelIsAccepted() {
        Vgg model = Vgg.builder().optWidths(2, 2, 2, 2, 2, 2, 2, 2).optInputChannels(1).build();

        INDArray logits = model.forward(normal(3, DataType.FLOAT, 2, 1, 28, 28), true);

        assertEquals(List.of(2L, 10L), List.of(logits.shape()[0], logits.shape()[1]));
        assertEquals(List.of(2L, 2L, 1L, 1L), List.of(model.stateDict().get("features.0.weight").shape()[0], 2L,
                1L, 1L));
    }

    @Test
    void badSettingsAreRefusedWithWhatIsExpected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Vgg.builder().optDepth(13).build())
                .getMessage().contains("11 or 16"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Vgg.builder().optWidths(4, 4).build())
                .getMessage().contains("needs 8 positive widths, one per convolution"));
        assertThrows(IllegalArgumentException.class, () -> Vgg.builder().optBatchNorm(BatchNormMode.TDBN).build());
        assertThrows(IllegalArgumentException.class, () -> Vgg.builder().optSpiking(idsnnLif(), 0).build());
        assertThrows(IllegalArgumentException.class, () -> Vgg.builder().build()
                .forward(normal(1, DataType.FLOAT, 2, 1, 32, 32), false));
    }

    @Test
    void theMemoryEstimateCountsParametersExactlyAndRefusesAbsurdWidths() {
        for (Vgg.Builder builder : List.of(Vgg.builder().optWidths(4, 4, 8, 8, 8, 8, 8, 8),
                Vgg.builder().optDepth(16).optSpiking(idsnnLif(), 2))) {
            Vgg model = builder.build();
            long stateValues = model.stateDict().names().stream().mapToLong(n -> model.stateDict().get(n).length())
                    .sum();
            MemoryEstimate evaluated = builder.estimateMemory(32, List.of(), List.of(8));
            MemoryEstimate trained = builder.estimateMemory(32, List.of(8), List.of(8));
            assertEquals(4.0 * stateValues, evaluated.parameterBytes());
            assertEquals(4.0 * model.parameterCount(), evaluated.gradientBytes());
            assertEquals(4.0 * model.parameterCount(), trained.optimizerBytes());
            assertTrue(trained.activationBytes() > evaluated.activationBytes());
            double at64 = builder.estimateMemory(32, List.of(64), List.of()).activationBytes();
            assertEquals(8, at64 / builder.estimateMemory(32, List.of(8), List.of()).activationBytes(), 0.01,
                    "the buffers are per sample");
        }
        Vgg.Builder absurd = Vgg.builder().optWidths(64, 128, 256, 256, 512, 512, 1_000_000, 1_000_000);
        InsufficientMemoryException e = assertThrows(InsufficientMemoryException.class, absurd::build);
        assertTrue(e.estimate().totalBytes() > 8 * 1e12 * 9, e.getMessage());
    }
}
