package io.spikeforge.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.convert.ThresholdGranularity;
import io.spikeforge.engine.convert.NeuronPlacement;
import io.spikeforge.runner.pipeline.TestThresholdStrategies;
import io.spikeforge.runner.plugin.ComponentRegistry;
import io.spikeforge.runner.plugin.RegisteredComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kind: convert}: its schema, defaults, resolved form and errors. */
class ConvertExperimentTest {
    private static final String HEAD = """
            kind: convert
            experiment: {name: conversion}
            dataset: {name: synthetic, path: data/synthetic-10}
            model: {architecture: resnet, depth: 8}
            """;

    private final ExperimentLoader loader = new ExperimentLoader(registry());

    @TempDir
    Path dir;

    /** The configuration tests' fake components and the runner tests' threshold strategies. */
    static ComponentRegistry registry() {
        List<RegisteredComponent> all = new ArrayList<>(TestComponents.registry().all());
        for (var provider : List.of(TestThresholdStrategies.max(), TestThresholdStrategies.percentile())) {
            all.add(new RegisteredComponent(provider, TestComponents.PLUGIN_ID, TestComponents.PLUGIN_VERSION,
                    Path.of("plugins/test-plugin.jar")));
        }
        return ComponentRegistry.of(all);
    }

    private ConvertExperiment load(String yaml, String... overrides) throws Exception {
        Path file = Files.writeString(dir.resolve("x.yaml"), yaml);
        return (ConvertExperiment) loader.load(file, List.of(overrides), warning -> { });
    }

    private List<String> problems(String yaml, String... overrides) throws Exception {
        Path file = Files.writeString(dir.resolve("x.yaml"), yaml);
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.load(file, List.of(overrides), warning -> { }));
        return e.errors().stream().map(error -> error.toString().replace(file.toString(), "x.yaml")).toList();
    }

    @Test
    void aConvertExperimentNeedsOnlyItsModelAndTakesTheConversionDefaults() throws Exception {
        ConvertExperiment x = load(HEAD);
        assertEquals(ExperimentKind.CONVERT, x.kind());
        assertEquals(Architecture.RESNET, x.model().architecture());
        assertEquals(Optional.empty(), x.weights());
        ConversionConfig conversion = x.conversion();
        assertEquals("percentile", conversion.thresholds().id());
        assertEquals(99.9, conversion.thresholds().parameters().getDouble("p"));
        assertEquals(ThresholdGranularity.LAYER, conversion.granularity());
        assertEquals(0.5, conversion.initialMembrane());
        assertEquals(NeuronPlacement.AFTER_ADDITION, conversion.placement());
        assertEquals(10, conversion.calibrationBatches());
        assertEquals(16, conversion.calibrationTimeSteps());
        assertEquals(List.of(1, 2, 4, 8, 16, 32, 64), conversion.timeSteps());
        assertEquals(256, conversion.analysis().images());
        assertEquals(conversion.timeSteps(), conversion.analysis().timeSteps(conversion));
        assertEquals(64, conversion.maxTimeSteps());
        assertEquals(conversion.settings().placement(), NeuronPlacement.AFTER_ADDITION);
        assertEquals(16, conversion.settings().calibrationTimeSteps());
    }

    @Test
    void theResolvedExperimentLoadsAgainToTheSameAndFlattensByKey() throws Exception {
        ConvertExperiment x = load(HEAD + """
                conversion:
                  thresholds: {id: max}
                  granularity: channel
                  initial_membrane: 0
                  placement: branch-neurons
                  calibration_batches: 3
                  calibration_time_steps: 8
                  time_steps: [2, 4]
                  analysis: {images: 10, time_steps: [4, 128]}
                """);
        assertEquals(128, x.conversion().maxTimeSteps());
        String yaml = x.toYaml();
        assertTrue(yaml.startsWith("kind: convert\nexperiment:\n"), yaml);
        assertTrue(yaml.contains("\nconversion:\n  thresholds:\n    id: max\n"), yaml);
        assertTrue(yaml.contains("  placement: branch-neurons\n"), yaml);
        assertFalse(yaml.contains("teacher") || yaml.contains("neuron:"), yaml);
        Path again = Files.writeString(dir.resolve("again.yaml"), yaml);
        assertEquals(x, loader.load(again));
        assertEquals("max", x.flatten().get("conversion.thresholds.id"));
        assertEquals("channel", x.flatten().get("conversion.granularity"));
        assertEquals("[4, 128]", x.flatten().get("conversion.analysis.time_steps"));

        ConvertExperiment defaults = load(HEAD);
        assertEquals("null", String.valueOf(defaults.flatten().get("conversion.analysis.time_steps")));
        assertEquals(defaults, loader.load(Files.writeString(dir.resolve("defaults.yaml"), defaults.toYaml())));
    }

    @Test
    void anOverrideSelectsAnotherStrategyAndItsParameters() throws Exception {
        ConvertExperiment x = load(HEAD, "conversion.thresholds.p=99", "weights=ann.safetensors");
        assertEquals(99.0, x.conversion().thresholds().parameters().getDouble("p"));
        assertEquals(Optional.of(Path.of("ann.safetensors")), x.weights());
        assertEquals("max", load(HEAD, "conversion.thresholds=max").conversion().thresholds().id());
    }

    @Test
    void badConversionValuesAreErrorsAtTheirKeys() throws Exception {
        List<String> problems = problems(HEAD + """
                conversion:
                  thresholds: {id: maxx}
                  granularity: neuron
                  initial_membrane: 1
                  placement: before-addition
                  calibration_batches: 0
                  time_steps: [4, 2]
                  analysis: {images: 0}
                """);
        assertEquals(7, problems.size(), problems.toString());
        assertHas(problems, p -> p.startsWith("x.yaml:6:") && p.contains("conversion.thresholds")
                && p.contains("maxx") && p.contains("max"));
        assertHas(problems, p -> p.startsWith("x.yaml:7:") && p.contains("conversion.granularity")
                && p.contains("layer, channel"));
        assertHas(problems, p -> p.startsWith("x.yaml:8:") && p.contains("conversion.initial_membrane"));
        assertHas(problems, p -> p.startsWith("x.yaml:9:") && p.contains("conversion.placement")
                && p.contains("after-addition, shortcut-neuron, branch-neurons"));
        assertHas(problems, p -> p.startsWith("x.yaml:10:") && p.contains("conversion.calibration_batches"));
        assertHas(problems, p -> p.startsWith("x.yaml:11:") && p.contains("conversion.time_steps[1]")
                && p.contains("greater than the value before it (4)"));
        assertHas(problems, p -> p.startsWith("x.yaml:12:") && p.contains("conversion.analysis.images"));
    }

    @Test
    void aVggIsConvertedOnlyWithAveragePooling() throws Exception {
        String vgg = HEAD.replace("{architecture: resnet, depth: 8}", "{architecture: vgg, depth: 11}");
        List<String> problems = problems(vgg);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("x.yaml:4:") && problems.get(0).contains("model.pooling: is max (its"
                + " default), but a VGG is converted with average pooling"), problems.toString());
        assertEquals(Architecture.VGG, load(vgg, "model.pooling=average").model().architecture());
    }

    @Test
    void keysOfOtherKindsAndSpikingModelsAreRefused() throws Exception {
        assertTrue(problems(HEAD + "teacher: {weights: t.safetensors}\n").get(0)
                .contains("teacher: is not a key of kind convert but of kind distill"));
        assertTrue(problems(HEAD.replace("architecture: resnet", "architecture: spiking-resnet")).get(0)
                .contains("model.architecture"));
        assertTrue(problems(HEAD.replace("model: {architecture: resnet, depth: 8}\n", "")).get(0)
                .contains("model: is missing"));
    }

    @Test
    void theShippedReluExperimentValidates() throws Exception {
        Path file = repositoryRoot().resolve("experiments/convert-fashion-mnist-relu.yaml");
        ConvertExperiment x = (ConvertExperiment) loader.load(file, List.of(), warning -> { });
        assertEquals(List.of(16, 32, 64), x.model().widths());
        assertEquals(20, x.model().depth());
        assertEquals("percentile", x.conversion().thresholds().id());
        assertEquals(List.of(4, 8, 16, 32), x.conversion().analysis().timeSteps(x.conversion()));
        // the documented way to another strategy: the slot's id alone replaces the strategy and its parameters
        ConvertExperiment max = (ConvertExperiment) loader.load(file, List.of("weights=ann.safetensors",
                "conversion.thresholds=max"), warning -> { });
        assertEquals("max", max.conversion().thresholds().id());
    }

    private static void assertHas(List<String> problems, Predicate<String> wanted) {
        assertTrue(problems.stream().anyMatch(wanted), problems.toString());
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("experiments"))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "cannot find the repository root above " + Path.of("").toAbsolutePath());
        return dir;
    }
}
