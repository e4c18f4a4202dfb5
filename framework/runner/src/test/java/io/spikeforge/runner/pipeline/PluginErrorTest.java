package io.spikeforge.runner.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.config.DistillExperiment;
import io.spikeforge.runner.plugin.PluginHost;
import io.spikeforge.runner.plugin.PluginHostOptions;
import io.spikeforge.testkit.SlowTest;
import io.spikeforge.tracking.RunLock;
import io.spikeforge.tracking.RunStatus;
import io.spikeforge.tracking.RunTracker;
import io.spikeforge.tracking.RunTrackers;
import io.spikeforge.tracking.TrackingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@link LinkageError} from a real plugin's code: in the middle of training it ends the run as failed. */
@SlowTest
class PluginErrorTest {
    @TempDir
    Path dir;

    @Test
    void aNoSuchMethodErrorFromPluginCodeEndsTheRunAsFailedEverywhere() throws Exception {
        OutdatedPlugin.writeJar(dir.resolve("plugins"));
        try (PluginHost host = PluginHost.start(PluginHostOptions.deployment(dir.resolve("plugins")).build())) {
            DistillExperiment experiment = (DistillExperiment) TinyExperiments.loadWithPlugins(dir, dir.resolve("data"), host.registry().all(),
                    "distillation.id=" + OutdatedPlugin.ID, "tracking.enabled=true", "teacher.training.epochs=1");
            RunResult result;
            try (RunTracker tracker = RunTrackers.open(
                    TrackingRunListener.options(experiment.tracking(), Map.of(), dir))) {
                result = ExperimentPipeline.builder(experiment)
                        .listener(new TrackingRunListener(tracker, Optional.empty(), host.hostInfo())).build().run();
            }

            assertEquals(RunStatus.FAILED, result.status());
            assertEquals(NoSuchMethodError.class, result.failure().map(Object::getClass).orElse(null));
            List<String> status = Files.readAllLines(result.folder().resolve("status"));
            assertEquals("failed", status.get(0));
            assertTrue(status.get(1).startsWith("java.lang.NoSuchMethodError: " + OutdatedPlugin.MISSING_METHOD
                    + " (a plugin built against other versions"), status::toString);
            try (RunLock lock = RunLock.tryAcquire(result.folder()).orElseThrow(
                    () -> new AssertionError("the run folder's lock is still held"))) {
                assertTrue(Files.exists(result.folder().resolve(RunLock.FILE_NAME)));
            }
            assertTrue(Files.exists(result.folder().resolve("teacher.safetensors")), "the teacher's work is kept");
            List<String> meta = mlflowRunMeta(dir.resolve(TrackingOptions.LOCAL_STORE));
            assertTrue(meta.contains("status: 4"), () -> "MLflow's FAILED is 4 (KILLED 5): " + meta);
        }
    }

    /**
     * The same error on the trial batch that every component gets before training: the run stops
     * in seconds, naming the slot and the plugin, before a run folder exists.
     */
    @Test
    void aNoSuchMethodErrorOnTheTrialBatchStopsTheRunBeforeItStarts() throws Exception {
        OutdatedPlugin.writeJarFailingAtOnce(dir.resolve("plugins"));
        try (PluginHost host = PluginHost.start(PluginHostOptions.deployment(dir.resolve("plugins")).build())) {
            DistillExperiment experiment = (DistillExperiment) TinyExperiments.loadWithPlugins(dir, dir.resolve("data"), host.registry().all(),
                    "distillation.id=" + OutdatedPlugin.ID, "teacher.training.epochs=1");

            RunSetupException e = assertThrows(RunSetupException.class,
                    () -> ExperimentPipeline.builder(experiment).build().run());

            assertTrue(e.getMessage().startsWith("distillation: the distillation loss '" + OutdatedPlugin.ID
                    + "' from plugin '" + OutdatedPlugin.ID + "' 1.0.0 failed on a trial batch:"
                    + " java.lang.NoSuchMethodError: " + OutdatedPlugin.MISSING_METHOD), e.getMessage());
            assertFalse(Files.exists(dir.resolve("runs")), "no run folder for a run that cannot start");
        }
    }

    /**
     * The same error while the plugin checks its parameters, as `validate`, `config` and `run` load
     * the experiment: a problem at the slot like any other, not an Error that escapes the command.
     */
    @Test
    void aNoSuchMethodErrorWhileCheckingTheParametersIsAProblemAtTheSlot() throws Exception {
        OutdatedPlugin.writeJarFailingItsCheck(dir.resolve("plugins"));
        try (PluginHost host = PluginHost.start(PluginHostOptions.deployment(dir.resolve("plugins")).build())) {
            ConfigException e = assertThrows(ConfigException.class, () -> TinyExperiments.loadWithPlugins(dir,
                    dir.resolve("data"), host.registry().all(), "distillation.id=" + OutdatedPlugin.ID));

            assertEquals(1, e.errors().size(), e::getMessage);
            assertEquals("distillation", e.errors().get(0).keyPath());
            assertTrue(e.errors().get(0).message().startsWith("the distillation loss '" + OutdatedPlugin.ID
                    + "' from plugin '" + OutdatedPlugin.ID + "' 1.0.0 failed while checking its parameters:"
                    + " java.lang.NoSuchMethodError: " + OutdatedPlugin.MISSING_METHOD), e::getMessage);
        }
    }

    /** The meta.yaml of the only run in a local MLflow store. */
    private static List<String> mlflowRunMeta(Path store) throws Exception {
        try (Stream<Path> files = Files.walk(store)) {
            List<Path> runs = files.filter(f -> f.getFileName().toString().equals("meta.yaml")
                    && Files.isDirectory(f.resolveSibling("metrics"))).toList();
            assertEquals(1, runs.size(), runs::toString);
            return Files.readAllLines(runs.get(0)).stream().map(String::trim).toList();
        }
    }
}
