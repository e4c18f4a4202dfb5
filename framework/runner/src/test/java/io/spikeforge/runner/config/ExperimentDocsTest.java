package io.spikeforge.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.model.BatchNormMode;
import io.spikeforge.engine.model.BlockType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/experiments.md is generated from the schema, and its examples are what the loader really does. */
class ExperimentDocsTest {
    private static final String REGENERATE = "docs/experiments.md is out of date with the schema or"
            + " ExperimentGuide; regenerate it with: mvn -B -o -pl framework/runner -am verify"
            + " -Dtest=ExperimentDocsTest -Dsurefire.failIfNoSpecifiedTests=false -Dspikeforge.updateDocs=true";

    private final ExperimentLoader loader = new ExperimentLoader(TestComponents.registry());

    @TempDir
    Path tempDir;

    @Test
    void docsFileIsTheGeneratedText() throws IOException {
        Path docs = repositoryRoot().resolve("docs/experiments.md");
        String generated = ExperimentDocs.markdown();
        if (Boolean.getBoolean("spikeforge.updateDocs")) {
            Files.writeString(docs, generated);
        }
        assertTrue(Files.exists(docs), REGENERATE);
        assertEquals(generated, Files.readString(docs), REGENERATE);
    }

    @Test
    void referenceDocumentsEveryKey() throws ConfigException {
        String docs = ExperimentDocs.markdown();
        List<String> slots = List.of("neuron", "surrogate", "initialization", "distillation");
        DistillExperiment everyChoice = (DistillExperiment) loader.load(Fixtures.fixture("minimal.yaml"),
                List.of("dataset.train_limit=10", "dataset.test_limit=10"));
        for (String key : everyChoice.flatten().keySet()) {
            String root = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            if (slots.contains(root)) {
                assertTrue(docs.contains("| `" + root + "` |"), root);
            } else if (!key.startsWith("teacher.training.")) {
                assertTrue(docs.contains("| `" + key + "` |"), key + " is not in the reference");
            }
        }
        for (String scheduleKey : List.of("milestones", "gamma", "every", "min_lr")) {
            assertTrue(docs.contains("| `training.schedule." + scheduleKey + "` |"), scheduleKey);
        }
        assertTrue(docs.contains("Same keys, types and defaults as `training`, under `teacher.training.`"));
    }

    @Test
    void completeExampleIsAValidExperiment() throws Exception {
        Path file = Files.writeString(tempDir.resolve("idsnn.yaml"), checkedBlock("complete-example"));

        DistillExperiment x = (DistillExperiment) loader.load(file);

        assertEquals(new SpikingOptions(4, BatchNormMode.TDBN),
                x.student().model().spiking().orElseThrow());
        assertEquals(Optional.of(BlockType.SPIKING_BASIC), x.student().model().block());
        assertEquals(34, x.teacher().model().depth());
        assertEquals("hinton-kd", x.distillation().orElseThrow().id());
        assertEquals(0.05, x.training().optimizer().lr());
        assertEquals(new ScheduleConfig.MultiStep(List.of(60, 120, 160), 0.1), x.training().schedule());
    }

    @Test
    void errorExampleShowsTheLoadersRealOutput() throws Exception {
        Path experiments = Files.createDirectories(tempDir.resolve("experiments"));
        Path file = Files.writeString(experiments.resolve("bad.yaml"), checkedBlock("bad-example"));

        StringBuilder printed = new StringBuilder();
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.load(file, List.of(), warning -> printed.append("warning: ").append(warning).append('\n')));
        printed.append(e.getMessage()).append('\n');

        assertEquals(checkedBlock("bad-example-output"), printed.toString().replace(tempDir + "/", ""));
    }

    /** The fenced code block that follows {@code <!-- checked: name -->} in the docs, without its fences. */
    private static String checkedBlock(String name) {
        String docs = ExperimentDocs.markdown();
        int marker = docs.indexOf("<!-- checked: " + name + " -->");
        assertTrue(marker >= 0, "no checked block " + name);
        int start = docs.indexOf('\n', docs.indexOf("```", marker)) + 1;
        return docs.substring(start, docs.indexOf("```", start));
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isDirectory(dir.resolve("framework")) && Files.exists(dir.resolve("pom.xml")))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "cannot find the repository root above " + Path.of("").toAbsolutePath());
        return dir;
    }
}
