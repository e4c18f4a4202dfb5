package io.spikeforge.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code activation} slot of an ANN's model section: bound, recorded, validated, overridden. */
class ActivationSlotTest {
    private static final String DISTILL = """
            experiment: {name: qcfs-teacher}
            dataset: {name: synthetic, path: data/synthetic-10}
            teacher:
              model: {architecture: resnet, depth: 20, activation: {id: qcfs, levels: 8}}
            student:
              model: {architecture: spiking-resnet, depth: 20}
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
    void aDistillTeachersActivationIsBoundWithItsDefaultsAndRecordedWithItsPlugin() throws Exception {
        DistillExperiment x = (DistillExperiment) load(DISTILL);

        ComponentSlot activation = x.teacher().model().activation().orElseThrow();
        assertEquals("qcfs", activation.id());
        assertEquals(Map.of("levels", 8L, "threshold", 8.0), activation.parameters().asMap());
        assertEquals(Optional.empty(), x.student().model().activation());
        String yaml = x.toYaml();
        assertTrue(yaml.contains("""
                  model:
                    architecture: resnet
                    depth: 20
                    widths: [16, 32, 64]
                    blocks_per_stage: [3, 3, 3]
                    activation:
                      id: qcfs
                      plugin: test-plugin
                      plugin_version: 1.2.3
                      levels: 8
                      threshold: 8.0
                """), yaml);
        assertEquals("qcfs", x.flatten().get("teacher.model.activation.id"));
        assertEquals(x, load(yaml), "the resolved configuration loads back to the same experiment");
    }

    @Test
    void withoutAnActivationTheResolvedConfigurationHasNoActivationKey() throws Exception {
        DistillExperiment x = (DistillExperiment) load(DISTILL, "teacher.model.activation=none");
        assertEquals(Optional.empty(), x.teacher().model().activation());
        assertFalse(x.toYaml().contains("activation"), "ReLU models write what they wrote before");
    }

    @Test
    void aTrainModelTakesItFromTheCommandLine() throws Exception {
        TrainExperiment x = (TrainExperiment) load("""
                kind: train
                experiment: {name: baseline}
                dataset: {name: synthetic, path: data/synthetic-10}
                model: {architecture: vgg, depth: 11}
                """, "model.activation=qcfs", "model.activation.threshold=2.5");
        assertEquals(Map.of("levels", 4L, "threshold", 2.5), x.model().activation().orElseThrow().parameters().asMap());
    }

    @Test
    void aSpikingModelOrAnUnknownParameterIsAnErrorAtItsLine() throws Exception {
        assertEquals(List.of("x.yaml:6:52: student.model.activation: applies only when architecture is resnet or vgg,"
                        + " but student.model.architecture is spiking-resnet"),
                problems(DISTILL.replace("depth: 20}\n", "depth: 20, activation: qcfs}\n")
                        .replace("teacher:\n  model: {architecture: resnet, depth: 20, activation: {id: qcfs, levels: 8}}",
                                "teacher:\n  model: {architecture: resnet, depth: 20}")));
        List<String> unknown = problems(DISTILL.replace("levels: 8", "level: 8"));
        assertEquals(1, unknown.size(), unknown.toString());
        assertTrue(unknown.get(0).startsWith("x.yaml:4:") && unknown.get(0).contains("teacher.model.activation.level")
                && unknown.get(0).contains("did you mean 'levels'"), unknown.toString());
    }
}
