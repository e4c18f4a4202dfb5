package io.spikeforge.runner.config;

import static io.spikeforge.runner.config.Fixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.component.ComponentKind;
import io.spikeforge.engine.data.DatasetKind;
import io.spikeforge.engine.model.BatchNormMode;
import io.spikeforge.engine.model.BlockType;
import io.spikeforge.plugins.surrogates.RectangularSurrogateProvider;
import io.spikeforge.runner.plugin.ComponentRegistry;
import io.spikeforge.runner.plugin.RegisteredComponent;
import io.spikeforge.tracking.TrackingOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExperimentLoaderTest {
    private static final String MINIMAL = "experiment: {name: x}\ndataset: {name: synthetic, path: data}\n";

    private final ExperimentLoader loader = new ExperimentLoader(TestComponents.registry());

    @TempDir
    Path tempDir;

    @Test
    void loadsTheIdsnnPaperSettings() throws ConfigException {
        DistillExperiment x = (DistillExperiment) loader.load(fixture("idsnn-cifar10.yaml"));

        assertEquals(new ExperimentInfo("idsnn-cifar10", 2023, "IDSNN, T=4, init + KD"), x.experiment());
        assertEquals(new DatasetConfig(DatasetKind.CIFAR10, Path.of("data/cifar-10-batches-bin"),
                new AugmentConfig(4, true), true, OptionalInt.of(5000), OptionalInt.empty()), x.dataset());

        TrainingConfig paperTraining = new TrainingConfig(200, 64,
                new OptimizerConfig(OptimizerName.SGD, 0.05, 0.9, 1.0e-4, false),
                new ScheduleConfig.MultiStep(List.of(60, 120, 160), 0.1),
                new DivergenceConfig(true, 100, 5));
        assertEquals(new TeacherConfig(
                new ModelConfig(Architecture.RESNET, 34, List.of(64, 128, 256, 512), List.of(3, 4, 6, 3),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
                Optional.of(Path.of("teachers/resnet34-cifar10.safetensors")), paperTraining), x.teacher());
        assertEquals(new ModelConfig(Architecture.SPIKING_RESNET, 18, List.of(64, 128, 256, 512), List.of(2, 2, 2, 2),
                Optional.of(BlockType.SPIKING_BASIC), Optional.of(new SpikingOptions(4, BatchNormMode.TDBN)), Optional.empty(),
                Optional.empty()),
                x.student().model());

        assertEquals("lif", x.neuron().id());
        assertEquals(Map.of("decay", 0.25, "threshold", 0.5, "detach_reset", true), x.neuron().parameters().asMap());
        assertEquals(ComponentKind.NEURON_MODEL, x.neuron().provenance().kind());
        assertEquals("rectangular", x.surrogate().id());
        assertEquals(1.0, x.surrogate().parameters().getDouble("width"));
        assertEquals("loop-interpolation", x.initialization().orElseThrow().id());
        assertEquals(4.0, x.distillation().orElseThrow().parameters().getDouble("temperature"),
                "an integer written for a number parameter becomes a double");
        assertEquals(0.3, x.distillation().orElseThrow().parameters().getDouble("weight"));

        assertEquals(new TrainingConfig(200, 64, new OptimizerConfig(OptimizerName.SGD, 0.05, 0.9, 1.0e-4, true),
                new ScheduleConfig.MultiStep(List.of(60, 120, 160), 0.1),
                new DivergenceConfig(true, 100, 5)), x.training());
        assertEquals(new TrackingConfig(true, Optional.of(URI.create("http://localhost:5000")), "idsnn-cifar10",
                TrackingOptions.DEFAULT_DELIVERY_TIMEOUT),
                x.tracking());
        assertEquals(new OutputsConfig(Path.of("runs/idsnn"), 10), x.outputs());
    }

    @Test
    void fillsEveryDefault() throws ConfigException {
        DistillExperiment x = (DistillExperiment) loader.load(fixture("minimal.yaml"));

        assertEquals(new ExperimentInfo("quickstart", 42, ""), x.experiment());
        assertEquals(new DatasetConfig(DatasetKind.SYNTHETIC, Path.of("data/synthetic-10"), new AugmentConfig(4, true),
                true, OptionalInt.empty(), OptionalInt.empty()), x.dataset());
        TrainingConfig defaults = new TrainingConfig(200, 64,
                new OptimizerConfig(OptimizerName.SGD, 0.05, 0.9, 1.0e-4, false),
                new ScheduleConfig.MultiStep(List.of(60, 120, 160), 0.1),
                new DivergenceConfig(true, 100, 5));
        assertEquals(new TeacherConfig(
                new ModelConfig(Architecture.RESNET, 34, List.of(64, 128, 256, 512), List.of(3, 4, 6, 3),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
                Optional.empty(), defaults), x.teacher());
        assertEquals(new StudentConfig(new ModelConfig(Architecture.SPIKING_RESNET, 18, List.of(64, 128, 256, 512),
                List.of(2, 2, 2, 2), Optional.of(BlockType.SPIKING_BASIC), Optional.of(new SpikingOptions(4, BatchNormMode.TDBN)), Optional.empty(),
                Optional.empty())), x.student());
        assertEquals("lif", x.neuron().id());
        assertEquals(Map.of("decay", 0.25, "threshold", 0.5, "detach_reset", true), x.neuron().parameters().asMap());
        assertEquals("rectangular", x.surrogate().id());
        assertEquals(Optional.empty(), x.initialization());
        assertEquals(Optional.empty(), x.distillation());
        assertEquals(defaults, x.training());
        assertEquals(new TrackingConfig(true, Optional.empty(), "quickstart",
                TrackingOptions.DEFAULT_DELIVERY_TIMEOUT), x.tracking(),
                "the MLflow experiment defaults to the experiment's name");
        assertEquals(new OutputsConfig(Path.of("runs"), 1), x.outputs());
    }

    @Test
    void widthsDefaultToTheDepthsStageCount() throws ConfigException {
        DistillExperiment x = (DistillExperiment) loader.load(fixture("minimal.yaml"),
                List.of("student.model.depth=20", "teacher.model.depth=110"));

        assertEquals(List.of(16, 32, 64), x.student().model().widths());
        assertEquals(List.of(16, 32, 64), x.teacher().model().widths());
    }

    @Test
    void anAnnStudentHasNoSpikingOptions() throws ConfigException {
        DistillExperiment x = (DistillExperiment) loader.load(fixture("minimal.yaml"), List.of("student.model.architecture=resnet"));

        assertEquals(Optional.empty(), x.student().model().spiking());
    }

    @Test
    void readsEachScheduleWithItsOwnKeys() throws ConfigException {
        assertEquals(new ScheduleConfig.Step(20, 0.5), loader.load(fixture("minimal.yaml"),
                List.of("training.schedule={name: step, every: 20, gamma: 0.5}")).training().schedule());
        assertEquals(new ScheduleConfig.Step(60, 0.1), loader.load(fixture("minimal.yaml"),
                List.of("training.schedule.name=step")).training().schedule());
        assertEquals(new ScheduleConfig.Cosine(1.0e-5), loader.load(fixture("minimal.yaml"),
                List.of("training.schedule.name=cosine", "training.schedule.min_lr=1e-5")).training().schedule());
        assertEquals(new ScheduleConfig.Constant(), loader.load(fixture("minimal.yaml"),
                List.of("training.schedule.name=constant")).training().schedule());
    }

    @Test
    void theResolvedConfigHoldsEveryKeyOfTheSchemaAndLoadsBackToTheSameExperiment() throws Exception {
        DistillExperiment x = (DistillExperiment) loader.load(fixture("minimal.yaml"), List.of("tracking.delivery_timeout=30",
                "dataset.train_limit=100", "training.schedule={name: step, every: 20, gamma: 0.5}",
                "teacher.training.schedule.name=cosine"));

        Path resolved = Files.writeString(tempDir.resolve("resolved.yaml"), x.toYaml());
        DistillExperiment again = (DistillExperiment) loader.load(resolved);

        assertEquals(x, again);
        assertEquals(Duration.ofSeconds(30), again.tracking().deliveryTimeout(),
                "the writer derives its keys from the schema: none is left out");
        assertEquals(new ScheduleConfig.Step(20, 0.5), again.training().schedule());
        assertTrue(x.toYaml().contains("    schedule:\n      name: cosine\n      min_lr: 0.0\n"), x.toYaml());
    }

    @Test
    void printsTheFullyResolvedConfigInSchemaOrder() throws Exception {
        DistillExperiment x = (DistillExperiment) loader.load(fixture("idsnn-cifar10.yaml"));

        assertEquals(Files.readString(fixture("idsnn-cifar10.resolved.yaml")), x.toYaml());
    }

    @Test
    void aResolvedFileWrittenByTheFirstVersionLoadsToTheSameExperiment() throws Exception {
        DistillExperiment written = (DistillExperiment) loader.load(fixture("idsnn-cifar10.yaml"));

        DistillExperiment old = (DistillExperiment) loader.load(fixture("idsnn-cifar10.resolved-0.1.0.yaml"));

        assertEquals(written, old);
        assertEquals(written.flatten(), old.flatten(), "what resume compares");
    }

    @Test
    void aSlotsRecordedPluginMustBeTheInstalledOneAndItsVersionIsCompared() throws Exception {
        Path other = Files.writeString(tempDir.resolve("other.yaml"), MINIMAL
                + "neuron: {id: lif, plugin: my-lif-fork, plugin_version: 1.2.3}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(other));
        assertEquals(other + ":3:19: neuron.plugin: recorded as 'my-lif-fork', but the neuron model 'lif' from plugin"
                + " 'test-plugin' 1.2.3 is installed instead; install plugin 'my-lif-fork', or remove neuron.plugin and"
                + " plugin_version to use the installed one", e.getMessage());

        Path older = Files.writeString(tempDir.resolve("older.yaml"), MINIMAL
                + "neuron: {id: lif, plugin: test-plugin, plugin_version: 1.0.0, decay: 0.5}\n");
        List<ConfigError> warnings = new ArrayList<>();
        DistillExperiment x = (DistillExperiment) loader.load(older, List.of(), warnings::add);
        assertEquals(0.5, x.neuron().parameters().getDouble("decay"));
        assertEquals(List.of(new ConfigError(new ConfigLocation.InFile(older, 3, 40), "neuron.plugin_version",
                "recorded as 1.0.0, but plugin 'test-plugin' is 1.2.3 now: the neuron model 'lif' may behave"
                        + " differently")), warnings.stream().filter(w -> w.keyPath().startsWith("neuron")).toList());

        Path number = Files.writeString(tempDir.resolve("number.yaml"), MINIMAL
                + "surrogate: {id: rectangular, plugin_version: 1.2}\n");
        ConfigException notText = assertThrows(ConfigException.class, () -> loader.load(number));
        assertEquals(number + ":3:30: surrogate.plugin_version: expected the version of the plugin that supplies the"
                + " component, as a string, got the number 1.2 (put it in quotes to use it as text)",
                notText.getMessage());
    }

    @Test
    void theRectangularPluginsOldIdStillNamesTheSurrogatesPlugin() throws Exception {
        List<RegisteredComponent> components = new ArrayList<>(TestComponents.registry().all().stream()
                .filter(c -> c.kind() != ComponentKind.SURROGATE_FUNCTION).toList());
        components.add(new RegisteredComponent(new RectangularSurrogateProvider(), "surrogates", "0.1.0",
                Path.of("plugins/spikeforge-plugin-surrogates-0.1.0.jar")));
        ExperimentLoader surrogatesOnly = new ExperimentLoader(ComponentRegistry.of(components));
        Path before = Files.writeString(tempDir.resolve("before.yaml"), MINIMAL
                + "surrogate: {id: rectangular, plugin: rectangular, plugin_version: 0.1.0, width: 0.5}\n");
        List<ConfigError> warnings = new ArrayList<>();

        DistillExperiment x = (DistillExperiment) surrogatesOnly.load(before, List.of(), warnings::add);

        assertEquals(0.5, x.surrogate().parameters().getDouble("width"));
        assertEquals(List.of(), warnings.stream().filter(w -> w.keyPath().startsWith("surrogate")).toList());
        Path fork = Files.writeString(tempDir.resolve("fork.yaml"), MINIMAL
                + "surrogate: {id: rectangular, plugin: my-surrogates, plugin_version: 0.1.0}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> surrogatesOnly.load(fork));
        assertTrue(e.getMessage().contains("surrogate.plugin: recorded as 'my-surrogates'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "training.schedule={name: step, every: 30}",
        "training.schedule={name: cosine, min_lr: 0.001}",
        "teacher.training.schedule={name: constant}",
        "student.model={architecture: resnet, depth: 56}",
        "initialization=none",
        "distillation={id: feature-kd, layer: 'stage 4'}",
        "neuron={id: if, v_init: 0.5}",
        "experiment.description='a \"quoted\" line\nand: a second # with symbols'",
        "experiment.description=\"line one\\nline two\\ttab\"",
        "experiment.name='-.inf'",
        "dataset.path='true'",
        "tracking.experiment='2024'",
    })
    void toYamlLoadsBackToAnEqualExperiment(String override) throws Exception {
        List<String> overrides = override.isEmpty() ? List.of() : List.of(override);
        for (String name : List.of("idsnn-cifar10.yaml", "minimal.yaml")) {
            DistillExperiment original = (DistillExperiment) loader.load(fixture(name), overrides);
            Path printed = Files.writeString(tempDir.resolve("resolved-" + name), original.toYaml());

            DistillExperiment reloaded = (DistillExperiment) loader.load(printed);

            assertEquals(original, reloaded, "round trip of " + name + " with " + overrides);
            assertEquals(original.toYaml(), reloaded.toYaml());
        }
    }

    @Test
    void flattensEveryValueUnderItsDottedKey() throws ConfigException {
        Map<String, String> flat = loader.load(fixture("idsnn-cifar10.yaml"), List.of("distillation=none")).flatten();

        assertEquals("kind", flat.keySet().iterator().next(), "schema order");
        assertEquals("distill", flat.get("kind"));
        assertEquals("idsnn-cifar10", flat.get("experiment.name"));
        assertEquals("2023", flat.get("experiment.seed"));
        assertEquals("cifar10", flat.get("dataset.name"));
        assertEquals("data/cifar-10-batches-bin", flat.get("dataset.path"));
        assertEquals("4", flat.get("dataset.augment.random_crop_padding"));
        assertEquals("5000", flat.get("dataset.train_limit"));
        assertEquals("null", flat.get("dataset.test_limit"));
        assertEquals("[64, 128, 256, 512]", flat.get("teacher.model.widths"));
        assertEquals("teachers/resnet34-cifar10.safetensors", flat.get("teacher.weights"));
        assertEquals("200", flat.get("teacher.training.epochs"));
        assertEquals("spiking-resnet", flat.get("student.model.architecture"));
        assertEquals("4", flat.get("student.model.timesteps"));
        assertEquals("lif", flat.get("neuron.id"));
        assertEquals(TestComponents.PLUGIN_ID, flat.get("neuron.plugin"));
        assertEquals(TestComponents.PLUGIN_VERSION, flat.get("neuron.plugin_version"));
        assertEquals("0.25", flat.get("neuron.decay"));
        assertEquals("true", flat.get("neuron.detach_reset"));
        assertEquals("false", flat.get("initialization.transfer_shortcut"));
        assertEquals("none", flat.get("distillation.id"));
        assertEquals("0.05", flat.get("training.optimizer.lr"));
        assertEquals("1.0E-4", flat.get("training.optimizer.weight_decay"));
        assertEquals("[60, 120, 160]", flat.get("training.schedule.milestones"));
        assertEquals("http://localhost:5000", flat.get("tracking.uri"));
        assertEquals("runs/idsnn", flat.get("outputs.dir"));
        assertFalse(flat.containsKey("training.schedule.every"), "keys of other schedules are not listed");
        assertFalse(flat.containsKey("training"), "sections are not values");
        assertEquals("[2, 2, 2, 2]", flat.get("student.model.blocks_per_stage"));
        assertEquals("100.0", flat.get("training.divergence.loss_factor"));
        assertEquals("5", flat.get("teacher.training.divergence.steps"));
        assertEquals("10", flat.get("tracking.delivery_timeout"));
        assertEquals(70, flat.size(), "69 keys and kind");
    }

    @Test
    void relativePathsStayAsWritten() throws ConfigException {
        DistillExperiment x = (DistillExperiment) loader.load(fixture("minimal.yaml"), List.of("outputs.dir=../elsewhere/runs"));

        assertFalse(x.dataset().path().isAbsolute());
        assertEquals(Path.of("../elsewhere/runs"), x.outputs().dir());
        assertTrue(x.toYaml().contains("  dir: ../elsewhere/runs\n"));
    }
}
