package io.spikeforge.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.activation.AnnActivation;
import io.spikeforge.api.model.LayerInfo;
import io.spikeforge.api.model.LayerKind;
import io.spikeforge.api.model.Parameter;
import io.spikeforge.engine.layer.PluginActivation;
import io.spikeforge.testkit.activation.SoftClipTestActivation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ANNs with a plugin's activation ({@link ModelSettings#optActivation}): one instance per site,
 * each site named, its parameters in the model's parameters, state dict and structure; ReLU models
 * are unchanged.
 */
class PluginActivationModelTest {
    /** The activation of each site by name, in the order the model made them, with its channels. */
    private final Map<String, Integer> made = new LinkedHashMap<>();

    private AnnActivationFactory softClip() {
        return (name, channels, type) -> {
            made.put(name, channels);
            return new SoftClipTestActivation(channels, 2.0, type);
        };
    }

    private static ResNet.Builder small() {
        return ResNet.builder().optDepth(20).optBlocksPerStage(1).optWidths(4, 8, 8).optClasses(5).optSeed(3);
    }

    @Test
    void aResNetMakesOneActivationPerSiteEachUnderItsOwnName() {
        ResNet model = small().optActivation(softClip()).build();

        assertEquals(List.of("act1", "layer1.0.act1", "layer1.0.act2", "layer2.0.act1", "layer2.0.act2",
                "layer3.0.act1", "layer3.0.act2"), List.copyOf(made.keySet()));
        assertEquals(List.of(4, 4, 4, 8, 8, 8, 8), List.copyOf(made.values()));
        List<String> activationTensors = model.stateDict().names().stream().filter(n -> n.contains("act")).toList();
        assertEquals(made.keySet().stream().map(site -> site + ".bound").toList(), activationTensors);
        assertTrue(model.parameters().containsKey("layer2.0.act2.bound"));
        assertEquals(small().build().parameterCount() + 4 + 4 + 4 + 8 + 8 + 8 + 8, model.parameterCount());
        // the state dict holds the parameter itself: writing it changes the model
        assertSame(model.parameters().get("act1.bound").value(), model.stateDict().get("act1.bound"));
    }

    @Test
    void theStructureListsEveryActivationSiteWithItsTensors() {
        ResNet model = small().optActivation(softClip()).build();

        List<LayerInfo> block = model.structure().stages().get(1).blocks().get(0).main();
        assertEquals(List.of("layer2.0.conv1", "layer2.0.bn1", "layer2.0.act1", "layer2.0.conv2", "layer2.0.bn2",
                "layer2.0.act2"), block.stream().map(LayerInfo::name).toList());
        LayerInfo act2 = block.get(5);
        assertEquals(LayerKind.ACTIVATION, act2.kind());
        assertEquals(List.of("layer2.0.act2.bound"), act2.tensors());
        assertEquals(List.of("conv1", "bn1", "act1"),
                model.structure().stem().stream().map(LayerInfo::name).toList());
    }

    @Test
    void reluModelsKeepTorchvisionsNames() {
        ResNet model = small().build();
        assertEquals(List.of("layer2.0.conv1", "layer2.0.bn1", "layer2.0.relu", "layer2.0.conv2", "layer2.0.bn2"),
                model.structure().stages().get(1).blocks().get(0).main().stream().map(LayerInfo::name).toList());
        assertTrue(model.stateDict().names().stream().noneMatch(n -> n.contains("act")));
    }

    @Test
    void aVggHasItsActivationWhereReluWas() {
        Vgg model = Vgg.builder().optWidths(4, 4, 8, 8, 8, 8, 8, 8).optClasses(5).optActivation(softClip()).build();

        assertEquals("features.2", made.keySet().iterator().next());
        assertEquals(8, made.size());
        assertTrue(model.stateDict().names().contains("features.2.bound"));
        assertEquals(Vgg.builder().optWidths(4, 4, 8, 8, 8, 8, 8, 8).optClasses(5).build().parameterCount()
                + 4 + 4 + 6 * 8, model.parameterCount());
        assertTrue(model.layers().get("features.2") instanceof PluginActivation);
    }

    @Test
    void theSameSeedGivesTheSameWeightsWithAndWithoutThePluginActivation() {
        ResNet relu = small().build();
        ResNet plugin = small().optActivation(softClip()).build();
        for (String name : relu.stateDict().names()) {
            assertEquals(relu.stateDict().get(name), plugin.stateDict().get(name), name);
        }
    }

    @Test
    void aSpikingNetworkRefusesAnAnnActivation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> small().optSpiking(ModelTesting.idsnnLif(), 2).optActivation(softClip()).build());
        assertTrue(e.getMessage().contains("ANN activation"), e.getMessage());
    }

    @Test
    void anActivationWhoseParametersHaveAnotherDataTypeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small()
                .optActivation((name, channels, type) -> new SoftClipTestActivation(channels, 2.0, DataType.DOUBLE))
                .build());
        assertTrue(e.getMessage().contains("DOUBLE") && e.getMessage().contains("FLOAT"), e.getMessage());
    }

    @Test
    void aPluginActivationTrainsInTheModelsPassesAndKeepsItsParametersOnce() {
        List<AnnActivation> activations = new ArrayList<>();
        ResNet model = small().optActivation((name, channels, type) -> {
            AnnActivation activation = new SoftClipTestActivation(channels, 2.0, type);
            activations.add(activation);
            return activation;
        }).build();
        INDArray images = ModelTesting.normal(1, DataType.FLOAT, 2, 3, 8, 8);
        model.zeroGradients();
        INDArray logits = model.forward(images, true);
        model.backward(Nd4j.onesLike(logits));
        assertEquals(activations.size(), Stream.of(model.parameters().values().toArray(Parameter[]::new))
                .filter(p -> p.name().equals(SoftClipTestActivation.BOUND)).count());
        for (Parameter bound : activations.stream().map(a -> a.parameters().get(0)).toList()) {
            assertSame(bound, model.parameters().values().stream().filter(p -> p == bound).findFirst().orElseThrow());
            assertTrue(bound.gradient().amaxNumber().doubleValue() > 0, "each site's bound receives a gradient");
        }
    }
}
