package io.spikeforge.runner.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.runner.config.DistillExperiment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolved configuration of a run, with the bundled plugins: it holds every value the
 * components use, those a plugin derives included, and each slot's plugin; and a run's
 * {@code config.yaml} written by the first version, which left such values to the plugin, still
 * loads to the same experiment.
 */
class ResolvedConfigTest {
    @TempDir
    Path dir;

    @Test
    void theResolvedConfigurationHoldsTheDecayTheLifPluginUsesAndEachSlotsPlugin() throws Exception {
        String yaml = TinyExperiments.load(dir, dir.resolve("data")).toYaml();

        assertTrue(yaml.contains("neuron:\n  id: lif\n  plugin: bundled\n  plugin_version: \"0\"\n  decay: 0.25\n"
                + "  tau: null\n"), yaml);
        for (String slot : List.of("surrogate", "initialization", "distillation")) {
            assertTrue(yaml.matches("(?s).*\n" + slot + ":\n  id: [a-z-]+\n  plugin: bundled\n  plugin_version: \"0\"\n.*"),
                    slot + ":\n" + yaml);
        }
        String tau = TinyExperiments.load(dir, dir.resolve("data"), "neuron.tau=4").toYaml();
        assertTrue(tau.contains("  decay: 0.75\n  tau: null\n"), "tau is recorded as the decay it gives:\n" + tau);
    }

    @Test
    void aConfigWrittenByTheFirstVersionLoadsToTheSameExperiment() throws Exception {
        Path old = TinyExperiments.configWrittenBy010(Files.createDirectories(dir.resolve("old-run")),
                dir.resolve("data"), dir.resolve("runs"));
        assertTrue(Files.readString(old).contains("  decay: null\n"), "the fixture is what 0.1.0 wrote");

        DistillExperiment loaded = (DistillExperiment) TinyExperiments.loader(List.of()).load(old);

        DistillExperiment today = TinyExperiments.load(dir, dir.resolve("data"), "teacher.model.depth=20",
                "student.model.depth=20");
        assertEquals(today, loaded);
        assertEquals(today.flatten(), loaded.flatten(), "what run --resume compares with a given file");
        assertEquals(0.25, loaded.neuron().parameters().getDouble("decay"));
    }
}
