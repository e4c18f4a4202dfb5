package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.runner.plugin.PluginJarBuilder;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as a user meets it: {@code bin/spikeforge} in a child process, plugin jars from
 * its {@code plugins/} folder, experiment files on disk.
 */
class DistributionIT {
    private static DistributionRunner spikeforge;
    private static Path experiments;

    @TempDir
    Path workDir;

    @BeforeAll
    static void locate() throws URISyntaxException {
        spikeforge = new DistributionRunner();
        experiments = Path.of(DistributionIT.class.getResource("/experiments/good.yaml").toURI()).getParent();
    }

    private DistributionRunner.Result run(String... args) throws IOException, InterruptedException {
        return spikeforge.run(workDir, Map.of(), args);
    }

    private static String experiment(String name) {
        return experiments.resolve(name).toString();
    }

    @Test
    void pluginsListsTheBundledComponentsWithTheirParameters() throws Exception {
        DistributionRunner.Result r = run("plugins");
        assertEquals(0, r.exitCode(), r::toString);
        for (String id : List.of("lif", "if", "plif", "lif-trainable-threshold", "alif", "rectangular", "sigmoid",
                "atan", "triangle", "erf", "fast-sigmoid", "loop-interpolation", "hinton-kd", "qcfs", "max",
                "percentile", "mse-search", "ttrbr", "activation")) {
            assertTrue(Pattern.compile("(?m)^  " + Pattern.quote(id) + "  \\(plugin ").matcher(r.out()).find(),
                    () -> "component " + id + " not listed:\n" + r);
        }
        for (String parameter : List.of("decay", "tau", "initial_membrane", "init_tau", "adaptation", "tau_adaptation",
                "width", "alpha", "temperature", "block_mapping", "levels", "transfer_shortcut", "include_zeros",
                "min_fraction")) {
            assertTrue(Pattern.compile("(?m)^    " + parameter + " ").matcher(r.out()).find(),
                    () -> "parameter " + parameter + " not listed:\n" + r);
        }
        assertTrue(r.out().contains("spikeforge-plugin-lif-"), r::toString);
        assertEquals("", r.err(), "a clean plugins folder gives no warnings");
    }

    @Test
    void validateAcceptsAGoodFile() throws Exception {
        DistributionRunner.Result r = run("validate", experiment("good.yaml"));
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        assertTrue(r.out().contains("valid"), r::toString);
    }

    @Test
    void everyShippedExperimentIsValid() throws Exception {
        Path shipped = Path.of("../../experiments").toAbsolutePath().normalize();
        List<Path> files;
        try (var list = Files.list(shipped)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no experiments in " + shipped);
        for (Path file : files) {
            DistributionRunner.Result r = run("validate", file.toString());
            assertEquals(ExitCodes.OK, r.exitCode(), () -> file + ":\n" + r);
        }
    }

    @Test
    void validateReportsAMisspelledKeyWithItsPlaceAndASuggestion() throws Exception {
        DistributionRunner.Result r = run("validate", experiment("misspelled-key.yaml"));
        assertEquals(ExitCodes.INVALID_EXPERIMENT, r.exitCode(), r::toString);
        assertTrue(r.err().contains("misspelled-key.yaml:24:1"), r::toString);
        assertTrue(r.err().contains("traning"), r::toString);
        assertTrue(r.err().contains("did you mean 'training'"), r::toString);
    }

    @Test
    void validateReportsAWrongType() throws Exception {
        DistributionRunner.Result r = run("validate", experiment("wrong-type.yaml"));
        assertEquals(ExitCodes.INVALID_EXPERIMENT, r.exitCode(), r::toString);
        assertTrue(r.err().contains("wrong-type.yaml:11:5"), r::toString);
        assertTrue(r.err().contains("student.model.timesteps"), r::toString);
        assertTrue(r.err().contains("integer"), r::toString);
    }

    @Test
    void validateReportsAnUnknownPluginIdAndTheAvailableOnes() throws Exception {
        DistributionRunner.Result r = run("validate", experiment("unknown-plugin.yaml"));
        assertEquals(ExitCodes.INVALID_EXPERIMENT, r.exitCode(), r::toString);
        assertTrue(r.err().contains("unknown-plugin.yaml:13:3"), r::toString);
        assertTrue(r.err().contains("lifx"), r::toString);
        assertTrue(r.err().contains("did you mean 'lif'? available: alif, if, lif, lif-trainable-threshold, plif"),
                r::toString);
    }

    @Test
    void validateReportsAPluginParameterOutOfRangeAtItsLine() throws Exception {
        DistributionRunner.Result r = run("validate", experiment("bad-plugin-parameter.yaml"));
        assertEquals(ExitCodes.INVALID_EXPERIMENT, r.exitCode(), r::toString);
        assertTrue(r.err().contains("bad-plugin-parameter.yaml:14:3"), r::toString);
        assertTrue(r.err().contains("neuron.decay"), r::toString);
    }

    @Test
    void validateReportsABadOverrideAndAMissingFile() throws Exception {
        DistributionRunner.Result bad = run("validate", experiment("good.yaml"), "training.epochs=many");
        assertEquals(ExitCodes.INVALID_EXPERIMENT, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("training.epochs=many"), bad::toString);

        DistributionRunner.Result missing = run("validate", workDir.resolve("nope.yaml").toString());
        assertEquals(ExitCodes.INVALID_EXPERIMENT, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("nope.yaml"), missing::toString);
    }

    @Test
    void theErrorExampleOfTheExperimentsGuideIsWhatTheDistributionPrints() throws Exception {
        String guide = Files.readString(Path.of("../../docs/experiments.md"));
        String yaml = fencedBlockAfter(guide, "<!-- checked: bad-example -->");
        String expected = fencedBlockAfter(guide, "<!-- checked: bad-example-output -->");
        Files.createDirectories(workDir.resolve("experiments"));
        Files.writeString(workDir.resolve("experiments/bad.yaml"), yaml);
        DistributionRunner.Result r = run("validate", "experiments/bad.yaml");
        assertEquals(ExitCodes.INVALID_EXPERIMENT, r.exitCode(), r::toString);
        assertEquals(expected, r.err());
    }

    private static String fencedBlockAfter(String text, String marker) {
        int at = text.indexOf(marker);
        assertTrue(at >= 0, "marker " + marker + " not found");
        int open = text.indexOf("```", at);
        int start = text.indexOf('\n', open) + 1;
        int end = text.indexOf("```", start);
        return text.substring(start, end);
    }

    @Test
    void configPrintsTheResolvedExperimentWithOverridesApplied() throws Exception {
        DistributionRunner.Result r = run("config", experiment("good.yaml"), "training.epochs=5", "neuron.threshold=0.75");
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        assertTrue(Pattern.compile("(?m)^  epochs: 5$").matcher(r.out()).find(), r::toString);
        assertTrue(Pattern.compile("(?m)^  threshold: 0.75$").matcher(r.out()).find(), r::toString);
        // the printed configuration is itself a valid experiment
        Path resolved = workDir.resolve("resolved.yaml");
        Files.writeString(resolved, r.out());
        DistributionRunner.Result again = run("validate", resolved.toString());
        assertEquals(ExitCodes.OK, again.exitCode(), again::toString);
    }

    @Test
    void usageErrorsExitWithTwo() throws Exception {
        DistributionRunner.Result r = run("no-such-command");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertFalse(r.err().isEmpty());
    }

    @Test
    void aMissingPluginsFolderIsAPluginError() throws Exception {
        DistributionRunner.Result r = run("plugins", "--plugins-dir", workDir.resolve("absent").toString());
        assertEquals(ExitCodes.PLUGIN_ERROR, r.exitCode(), r::toString);
        assertTrue(r.err().contains("absent"), r::toString);
    }

    @Test
    void twoPluginsClaimingOneComponentIdAreAnErrorNamingBothJars() throws Exception {
        Path plugins = Files.createDirectories(workDir.resolve("plugins"));
        Path lif = spikeforge.bundledPlugin("lif");
        Files.copy(lif, plugins.resolve("lif-a.jar"));
        Path copy = PluginJarBuilder.plugin("lif-copy", "1.0.0").bundle(lif).writeJar(plugins.resolve("lif-b.jar"));
        DistributionRunner.Result r = spikeforge.run(workDir, Map.of("SPIKEFORGE_PLUGINS", plugins.toString()),
                "--no-bundled-plugins", "plugins");
        assertEquals(ExitCodes.PLUGIN_ERROR, r.exitCode(), r::toString);
        assertTrue(r.err().matches(
                "(?s).*neuron model id '(l?if|plif|alif|lif-trainable-threshold)' is claimed by two plugins.*"), r::toString);
        assertTrue(r.err().contains(plugins.resolve("lif-a.jar").toString()) && r.err().contains(copy.toString()),
                r::toString);
    }

    @Test
    void benchTrainAndInferEndWithTheMachineReadableSummary() throws Exception {
        for (String mode : List.of("train", "infer")) {
            DistributionRunner.Result r = run("bench", mode, "--arch", "spiking-resnet", "--widths", "4,8",
                    "--blocks-per-stage", "1", "--timesteps", "2", "--batch", "4", "--image-size", "8", "--warmup", "1",
                    "--steps", "3");
            assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
            String[] lines = r.out().strip().split("\n");
            assertTrue(lines[lines.length - 1].matches("median_step_ms=\\d+\\.\\d peak_rss_mb=\\d+"), r::toString);
            assertTrue(r.out().contains("spiking-resnet6"), r::toString);
        }
        DistributionRunner.Result ann = run("bench", "train", "--arch", "resnet", "--depth", "20", "--widths", "4,8,16",
                "--batch", "2", "--image-size", "8", "--warmup", "0", "--steps", "1");
        assertEquals(ExitCodes.OK, ann.exitCode(), ann::toString);
        assertTrue(ann.out().contains("resnet20"), ann::toString);

        DistributionRunner.Result bad = run("bench", "train", "--neuron-param", "tau=0.5", "--steps", "1");
        assertEquals(ExitCodes.USAGE, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("tau"), bad::toString);
    }

    @Test
    void runTrainsTeacherAndStudentAndPrintsTheAccuraciesAndTheRunFolder() throws Exception {
        DistributionRunner.Result r = run("run", experiment("tiny-run.yaml"));

        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("status   finished\n"), r::toString);
        assertTrue(Pattern.compile("(?m)^teacher  test accuracy \\d+\\.\\d\\d%$").matcher(r.out()).find(), r::toString);
        assertTrue(Pattern.compile("(?m)^student  test accuracy \\d+\\.\\d\\d%\n {9}energy [0-9.e-]+ mJ per image: "
                + "[0-9.]+ [kMG]? ?synaptic ops, [0-9.]+ [kMG]? ?MACs$").matcher(r.out()).find(), r::toString);
        var folder = Pattern.compile("(?m)^run      (runs/tiny-\\d{8}-\\d{6})$").matcher(r.out());
        assertTrue(folder.find(), r::toString);
        Path runFolder = workDir.resolve(folder.group(1));
        assertEquals("finished\n", Files.readString(runFolder.resolve("status")));
        for (String file : List.of("config.yaml", "metrics.csv", "energy.csv", "init-report.txt", "teacher.safetensors",
                "student.safetensors", "loss.png", "accuracy.png")) {
            assertTrue(Files.size(runFolder.resolve(file)) > 0, file);
        }
        assertTrue(r.err().contains("student"), "progress on standard error:\n" + r);

        DistributionRunner.Result missing = run("run", experiment("tiny-run.yaml"), "dataset.name=cifar10",
                "dataset.path=data/cifar");
        assertEquals(ExitCodes.RUN_FAILED, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("dataset.path: data/cifar: no such folder"), missing::toString);
        assertTrue(missing.err().contains("set dataset.name=synthetic and dataset.path to a new folder"),
                missing::toString);
    }

    /**
     * Errors name their cause (the folder named "README.md" is a file; the teacher's weights are not a
     * safetensors file; the MLflow store "mlruns" is a file), and -v prints the stack trace of a run
     * that cannot start or fails, as --help says.
     */
    @Test
    void runErrorsNameTheirCauseAndVerboseAddsTheStackTrace() throws Exception {
        Files.writeString(workDir.resolve("README.md"), "a file");
        DistributionRunner.Result file = run("run", experiment("tiny-run.yaml"), "outputs.dir=README.md");
        assertEquals(ExitCodes.INVALID_EXPERIMENT, file.exitCode(), file::toString);
        assertTrue(file.err().contains("outputs.dir: README.md is a file, expected a folder for the run folders"),
                file::toString);
        assertFalse(file.err().contains("\tat io.spikeforge."), "no stack trace without -v:\n" + file);

        Files.writeString(workDir.resolve("teacher.safetensors"), "not a safetensors file");
        DistributionRunner.Result weights = run("run", experiment("tiny-run.yaml"), "teacher.weights=teacher.safetensors");
        assertEquals(ExitCodes.RUN_FAILED, weights.exitCode(), weights::toString);
        assertTrue(weights.err().contains("error: teacher.weights: cannot read teacher.safetensors: teacher.safetensors:"
                + " header length"), weights::toString);
        assertFalse(weights.err().contains("\tat io.spikeforge."), "no stack trace without -v:\n" + weights);

        DistributionRunner.Result verbose = run("-v", "run", experiment("tiny-run.yaml"),
                "teacher.weights=teacher.safetensors");
        assertEquals(ExitCodes.RUN_FAILED, verbose.exitCode(), verbose::toString);
        assertTrue(verbose.err().contains("\tat io.spikeforge.runner.pipeline.ExperimentPipeline"), verbose::toString);
        assertTrue(verbose.err().contains("Caused by: io.spikeforge.engine.io.SafetensorsFormatException:"
                + " teacher.safetensors: header length"), verbose::toString);

        for (String command : List.of("validate", "run")) {
            DistributionRunner.Result tooLarge = run("-v", command, experiment("tiny-run.yaml"),
                    "teacher.model.widths=[4,8,1000000]");
            assertEquals(ExitCodes.INVALID_EXPERIMENT, tooLarge.exitCode(), tooLarge::toString);
            assertTrue(tooLarge.err().contains("\tat io.spikeforge.runner.pipeline.ExperimentMemory"),
                    command + " -v: the stack trace\n" + tooLarge);
        }

        Files.writeString(workDir.resolve("mlruns"), "a file");
        DistributionRunner.Result store = run("-v", "run", experiment("tiny-run.yaml"), "tracking.enabled=true");
        assertEquals(ExitCodes.RUN_FAILED, store.exitCode(), store::toString);
        assertTrue(store.err().contains("error: the run failed: cannot start a run in " + workDir.resolve("mlruns")
                + ": " + workDir.resolve("mlruns") + ": File exists"), store::toString);
        assertTrue(store.err().contains("\tat io.spikeforge.tracking."), store::toString);
    }

    /**
     * Both launchers work through symbolic links, called from another folder: the distribution's
     * bin/spikeforge through a relative link, and the source tree's ./spikeforge (here a copy of it
     * in a tree whose distribution is the built one, so that it needs no build).
     */
    @Test
    void theLaunchersWorkThroughSymbolicLinksFromAnotherFolder() throws Exception {
        Path home = spikeforge.home();
        // deeper than the folder it is called from, so that the link's target means something else there
        Path links = Files.createDirectories(workDir.resolve("links/deeper"));
        Path elsewhere = Files.createDirectories(workDir.resolve("elsewhere"));
        Path relative = Files.createSymbolicLink(links.resolve("sf"), links.relativize(home.resolve("bin/spikeforge")));
        DistributionRunner.Result bin = DistributionRunner.runLauncher(relative, elsewhere, "--version");
        assertEquals(ExitCodes.OK, bin.exitCode(), bin::toString);
        assertTrue(bin.out().contains("0.1.0"), bin::toString);

        Path tree = Files.createDirectories(workDir.resolve("tree"));
        Files.copy(Path.of("../../spikeforge"), tree.resolve("spikeforge"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.writeString(tree.resolve("pom.xml"), "<project/>");
        Files.createDirectories(tree.resolve("plugins"));
        Path dist = Files.createDirectories(tree.resolve("framework/cli/target/spikeforge"));
        for (String part : List.of("bin", "lib", "plugins")) {
            Files.createSymbolicLink(dist.resolve(part), home.resolve(part));
        }
        Files.writeString(dist.resolve(".built-from-source"), "");
        Path launcher = Files.createSymbolicLink(links.resolve("spikeforge"), tree.resolve("spikeforge"));
        DistributionRunner.Result source = DistributionRunner.runLauncher(launcher, elsewhere, "--version");
        assertEquals(ExitCodes.OK, source.exitCode(), source::toString);
        assertEquals(bin.out(), source.out());
        assertEquals("", source.err(), "no build: " + source);
    }

    @Test
    void libHoldsEveryFrameworkModuleOnceAndNoPlugin() throws IOException {
        List<String> jars;
        try (Stream<Path> files = Files.list(spikeforge.home().resolve("lib"))) {
            jars = files.map(file -> file.getFileName().toString()).sorted().toList();
        }
        for (String module : List.of("common", "api", "engine", "tracking", "runner", "cli")) {
            String prefix = "spikeforge-" + module + "-";
            assertEquals(1, jars.stream().filter(jar -> jar.startsWith(prefix) && !jar.contains("-tests")).count(),
                    () -> prefix + "*.jar in lib/: " + jars);
        }
        assertTrue(jars.stream().noneMatch(jar -> jar.startsWith("spikeforge-plugin-")), jars::toString);
        // the convolutions' direct oneDNN path (engine's OneDnnConvolution): presets and their natives
        for (String jar : List.of("dnnl-2.5.2-1.5.7.jar", "dnnl-2.5.2-1.5.7-linux-x86_64.jar",
                "opencl-3.0-1.5.7.jar", "opencl-3.0-1.5.7-linux-x86_64.jar")) {
            assertTrue(jars.contains(jar), () -> jar + " in lib/: " + jars);
        }
    }

    @Test
    void infoShowsTheOneDnnBackend() throws Exception {
        DistributionRunner.Result r = run("info");
        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        assertTrue(r.out().contains("oneDNN         yes"), r::toString);
        assertTrue(r.out().contains("onednn-avx2"), r::toString);
    }
}
