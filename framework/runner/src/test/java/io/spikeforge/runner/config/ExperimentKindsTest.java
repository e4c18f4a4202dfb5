package io.spikeforge.runner.config;

import static io.spikeforge.runner.config.Fixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.model.BatchNormMode;
import io.spikeforge.engine.model.Pooling2d;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kind:}: each kind's schema, validation and messages. */
class ExperimentKindsTest {
    private static final String TRAIN_HEAD = """
            kind: train
            experiment: {name: baseline}
            dataset: {name: synthetic, path: data/synthetic-10}
            """;

    private final ExperimentLoader loader = new ExperimentLoader(TestComponents.registry());

    @TempDir
    Path dir;

    private Experiment load(String yaml, String... overrides) throws Exception {
        Path file = Files.writeString(dir.resolve("x.yaml"), yaml);
        return loader.load(file, List.of(overrides), warning -> { });
    }

    private List<String> problems(String yaml, String... overrides) throws Exception {
        Path file = Files.writeString(dir.resolve("x.yaml"), yaml);
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.load(file, List.of(overrides), warning -> { }));
        return e.errors().stream().map(error -> error.toString().replace(file.toString(), "x.yaml")).toList();
    }

    @Test
    void aFileWithoutKindIsADistillExperiment() throws Exception {
        Experiment x = loader.load(fixture("minimal.yaml"));
        assertEquals(ExperimentKind.DISTILL, x.kind());
        assertInstanceOf(DistillExperiment.class, x);
        assertTrue(x.toYaml().startsWith("kind: distill\nexperiment:\n"), x.toYaml());
    }

    @Test
    void aTrainExperimentHasOneModelAndItsDefaults() throws Exception {
        TrainExperiment x = (TrainExperiment) load(TRAIN_HEAD + "model: {architecture: vgg, depth: 11}\n");
        assertEquals(ExperimentKind.TRAIN, x.kind());
        assertEquals(new ModelConfig(Architecture.VGG, 11, List.of(), List.of(), Optional.empty(), Optional.empty(),
                Optional.of(Pooling2d.Mode.MAX), Optional.empty()), x.model());
        assertEquals(Optional.empty(), x.weights());
        assertEquals("lif", x.neuron().id());
        assertEquals(200, x.training().epochs());

        String yaml = x.toYaml();
        assertTrue(yaml.startsWith("kind: train\nexperiment:\n"), yaml);
        assertTrue(yaml.contains("model:\n  architecture: vgg\n  depth: 11\n  pooling: max\n"), yaml);
        assertFalse(yaml.contains("widths") || yaml.contains("teacher") || yaml.contains("distillation"), yaml);
        Path again = Files.writeString(dir.resolve("again.yaml"), yaml);
        assertEquals(x, loader.load(again));
        assertEquals("vgg", x.flatten().get("model.architecture"));
        assertEquals("train", x.flatten().get("kind"));
    }

    @Test
    void aSpikingVggTakesTheSpikingOptionsAndAPooling() throws Exception {
        TrainExperiment x = (TrainExperiment) load(TRAIN_HEAD + "model: {architecture: spiking-vgg, depth: 16,"
                + " timesteps: 2, batch_norm: bn, pooling: average}\n");
        assertEquals(new ModelConfig(Architecture.SPIKING_VGG, 16, List.of(), List.of(), Optional.empty(),
                Optional.of(new SpikingOptions(2, BatchNormMode.BN)), Optional.of(Pooling2d.Mode.AVERAGE), Optional.empty()),
                x.model());
    }

    @Test
    void anUnknownKindListsTheKinds() throws Exception {
        assertEquals(List.of("x.yaml:1:1: kind: unknown kind 'trian'; did you mean 'train'? expected one of: distill,"
                + " train, convert (see docs/experiments.md)"), problems(TRAIN_HEAD.replace("kind: train", "kind: trian")
                + "model: {architecture: vgg, depth: 11}\n"));
    }

    @Test
    void anotherKindsKeySaysWhichKindItBelongsTo() throws Exception {
        List<String> problems = problems(TRAIN_HEAD + "model: {architecture: resnet, depth: 8}\n"
                + "teacher: {weights: t.safetensors}\n");
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("x.yaml:5:1: teacher: is not a key of kind train but of kind distill"
                + " (set kind: distill for that); the keys of kind train: kind, experiment, dataset, model,"), problems
                .get(0));
        assertTrue(problems("kind: distill\nexperiment: {name: a}\ndataset: {name: synthetic, path: d}\n"
                + "model: {architecture: vgg, depth: 11}\n").get(0)
                .contains("model: is not a key of kind distill but of kind train"));
    }

    @Test
    void aVggHasNoResNetKeysAndItsOwnDepths() throws Exception {
        assertEquals(List.of("x.yaml:4:39: model.widths: applies only when architecture is resnet or"
                        + " spiking-resnet, but model.architecture is vgg"),
                problems(TRAIN_HEAD + "model: {architecture: vgg, depth: 11, widths: [4, 8, 8]}\n"));
        assertEquals(List.of("x.yaml:4:28: model.depth: is 18, which is no depth of a VGG (model.architecture is vgg):"
                        + " expected one of [11, 16]"),
                problems(TRAIN_HEAD + "model: {architecture: vgg, depth: 18}\n"));
        assertEquals(List.of("x.yaml:4:31: model.depth: is 11, which is no depth of a ResNet (model.architecture is"
                        + " resnet): expected one of [18, 34, 8, 14, 20, 32, 44, 56, 110]"),
                problems(TRAIN_HEAD + "model: {architecture: resnet, depth: 11}\n"));
        assertTrue(problems(TRAIN_HEAD + "model: {architecture: resnet, depth: 8, pooling: max}\n").get(0)
                .contains("model.pooling: applies only when architecture is vgg or spiking-vgg"));
    }

    @Test
    void aTrainModelNamesItsFamilyAndDepth() throws Exception {
        assertEquals(List.of("x.yaml:4:1: model.architecture: is required: expected one of resnet, spiking-resnet,"
                        + " vgg, spiking-vgg",
                "x.yaml:4:1: model.depth: is required: expected one of 18, 34, 8, 14, 20, 32, 44, 56, 110, 11, 16"),
                problems(TRAIN_HEAD + "model: {}\n"));
    }

    @Test
    void theDistillKindTakesVggsToo() throws Exception {
        DistillExperiment x = (DistillExperiment) loader.load(fixture("minimal.yaml"),
                List.of("teacher.model={architecture: vgg, depth: 16}", "student.model.architecture=spiking-vgg",
                        "student.model.depth=11"), warning -> { });
        assertEquals(Architecture.VGG, x.teacher().model().architecture());
        assertEquals(Optional.of(new SpikingOptions(4, BatchNormMode.TDBN)), x.student().model().spiking());
        assertEquals(Optional.empty(), x.student().model().block());
    }
}
