package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.runner.plugin.PluginJarBuilder;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which plugin folders the distribution reads, and what it does with jars it cannot use or that
 * claim one plugin id, through {@code bin/spikeforge} as a user runs it. The guide's own plugin,
 * added to the bundled ones, is {@link DocumentedPluginIT}'s.
 */
class PluginFoldersIT {
    private static DistributionRunner spikeforge;
    private static String goodExperiment;

    @TempDir
    Path workDir;

    @BeforeAll
    static void locate() throws URISyntaxException {
        spikeforge = new DistributionRunner();
        goodExperiment = Path.of(PluginFoldersIT.class.getResource("/experiments/good.yaml").toURI()).toString();
    }

    private DistributionRunner.Result run(Map<String, String> environment, String... args) throws Exception {
        return spikeforge.run(workDir, environment, args);
    }

    @Test
    void extraFoldersFromTheEnvironmentAndTheCommandLineAddToTheBundledOnes() throws Exception {
        List<Path> folders = List.of(workDir.resolve("env-a"), workDir.resolve("env-b"), workDir.resolve("before"),
                workDir.resolve("after"));
        for (Path folder : folders) {
            Files.createDirectories(folder);
        }
        DistributionRunner.Result r = run(Map.of("SPIKEFORGE_PLUGINS", folders.get(0) + File.pathSeparator + "env-b"),
                "--plugins-dir", "before", "plugins", "--plugins-dir", folders.get(3).toString());

        assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("Plugin folders\n"
                + "  " + spikeforge.home().resolve("plugins") + " (bundled, spikeforge.home=" + spikeforge.home() + ")\n"
                + "  " + folders.get(0) + " (SPIKEFORGE_PLUGINS)\n"
                + "  " + folders.get(1) + " (SPIKEFORGE_PLUGINS)\n"
                + "  " + folders.get(2) + " (--plugins-dir)\n"
                + "  " + folders.get(3) + " (--plugins-dir)\n"), r::toString);
        for (String id : List.of("lif", "loop-interpolation", "hinton-kd", "qcfs")) {
            assertTrue(r.out().contains("  " + id + "  (plugin " + id + " "), () -> id + " is bundled:\n" + r);
        }
        assertTrue(r.out().contains("  rectangular  (plugin surrogates "), () -> "rectangular is bundled:\n" + r);
    }

    @Test
    void aJarDuplicatingABundledPluginIsAnErrorNamingBoth() throws Exception {
        Path plugins = Files.createDirectories(workDir.resolve("my-plugins"));
        Path bundled = spikeforge.bundledPlugin("lif");
        Path copy = Files.copy(bundled, plugins.resolve("lif.jar"));

        DistributionRunner.Result r = run(Map.of(), "--plugins-dir", plugins.toString(), "validate", goodExperiment);

        assertEquals(ExitCodes.PLUGIN_ERROR, r.exitCode(), r::toString);
        assertEquals("error: plugin id 'lif' is claimed by 2 jars: " + bundled + ", " + copy + "; keep one of them (an"
                + " old copy, or a copy of a bundled plugin, in a plugins folder?)\n", r.err());
    }

    @Test
    void aStaleCopyBesideTheGoodJarIsAnErrorWhateverTheirNames() throws Exception {
        Path surrogates = spikeforge.bundledPlugin("surrogates");
        for (String staleName : List.of("a-old.jar", "z-old.jar")) {
            Path plugins = Files.createDirectories(workDir.resolve("plugins-" + staleName));
            Path good = Files.copy(surrogates, plugins.resolve("surrogates.jar"));
            Path stale = PluginJarBuilder.plugin("surrogates", "0.0.1").bundle(surrogates)
                    .entry("META-INF/extensions.idx", "io.spikeforge.plugins.surrogates.RemovedProvider\n")
                    .writeJar(plugins.resolve(staleName));

            DistributionRunner.Result r = run(Map.of(), "--no-bundled-plugins", "--plugins-dir", plugins.toString(),
                    "plugins");

            assertEquals(ExitCodes.PLUGIN_ERROR, r.exitCode(), r::toString);
            assertTrue(r.err().startsWith("error: plugin id 'surrogates' is claimed by 2 jars: "), r::toString);
            assertTrue(r.err().contains(good.toString()) && r.err().contains(stale.toString()), r::toString);
        }
    }

    @Test
    void aPluginRequiringThisReleaseOrItsSnapshotLoads() throws Exception {
        Path surrogates = spikeforge.bundledPlugin("surrogates");
        for (String requires : List.of(">=0.1.0", ">=0.1.0-SNAPSHOT")) {
            Path plugins = Files.createDirectories(workDir.resolve("plugins" + requires.replaceAll("\\W", "")));
            PluginJarBuilder.plugin("surrogates", "1.0.0").optRequires(requires).bundle(surrogates)
                    .writeJar(plugins.resolve("surrogates.jar"));

            DistributionRunner.Result r = run(Map.of(), "--no-bundled-plugins", "--plugins-dir", plugins.toString(),
                    "plugins");

            assertEquals(ExitCodes.OK, r.exitCode(), r::toString);
            assertEquals("", r.err(), () -> requires + ": no warning\n" + r);
            assertTrue(r.out().contains("  rectangular  (plugin surrogates 1.0.0"), () -> requires + "\n" + r);
        }
    }

    @Test
    void eachSkippedJarIsReportedOnceAndStrictModeMakesItAnError() throws Exception {
        Path plugins = Files.createDirectories(workDir.resolve("my-plugins"));
        Path corrupt = Files.writeString(plugins.resolve("corrupt.jar"), "not a zip archive");
        Path tooNew = PluginJarBuilder.plugin("lif-next", "1.0.0").optRequires(">=99.0.0")
                .bundle(spikeforge.bundledPlugin("lif")).writeJar(plugins.resolve("lif-next.jar"));
        String warnings = "warning: skipped plugin " + corrupt + ": not a readable jar file (zip END header not found)\n"
                + "warning: skipped plugin " + tooNew + ": requires Spikeforge >=99.0.0 but this is ";

        DistributionRunner.Result lenient = run(Map.of(), "--plugins-dir", plugins.toString(), "plugins");
        assertEquals(ExitCodes.OK, lenient.exitCode(), lenient::toString);
        assertTrue(lenient.err().startsWith(warnings), lenient::toString);
        assertEquals(2, lenient.err().lines().count(), () -> "each problem once, nothing else:\n" + lenient);

        DistributionRunner.Result strict = run(Map.of(), "--plugins-dir", plugins.toString(), "plugins", "--strict");
        assertEquals(ExitCodes.PLUGIN_ERROR, strict.exitCode(), strict::toString);
        assertTrue(strict.err().startsWith("error: 2 plugins could not be used, and strict plugin checking allows none:\n"
                + "  " + corrupt + ": not a readable jar file"), strict::toString);
        assertTrue(strict.err().contains("\n  " + tooNew + ": requires Spikeforge >=99.0.0"), strict::toString);
        assertEquals("", strict.out(), strict::toString);

        DistributionRunner.Result global = run(Map.of(), "--strict-plugins", "--plugins-dir", plugins.toString(),
                "validate", goodExperiment);
        assertEquals(ExitCodes.PLUGIN_ERROR, global.exitCode(), global::toString);
        DistributionRunner.Result fromEnvironment = run(Map.of("SPIKEFORGE_STRICT_PLUGINS", "true"), "--plugins-dir",
                plugins.toString(), "validate", goodExperiment);
        assertEquals(ExitCodes.PLUGIN_ERROR, fromEnvironment.exitCode(), fromEnvironment::toString);
        assertTrue(fromEnvironment.err().contains("strict plugin checking"), fromEnvironment::toString);

        DistributionRunner.Result notStrict = run(Map.of("SPIKEFORGE_STRICT_PLUGINS", "false"), "--plugins-dir",
                plugins.toString(), "validate", goodExperiment);
        assertEquals(ExitCodes.OK, notStrict.exitCode(), notStrict::toString);
        assertEquals(2, notStrict.err().lines().count(), notStrict::toString);
    }

    @Test
    void leavingOutTheBundledPluginsNeedsAnotherFolder() throws Exception {
        DistributionRunner.Result r = run(Map.of(), "--no-bundled-plugins", "plugins");

        assertEquals(ExitCodes.PLUGIN_ERROR, r.exitCode(), r::toString);
        assertTrue(r.err().contains("--plugins-dir") && r.err().contains("SPIKEFORGE_PLUGINS"), r::toString);
    }
}
