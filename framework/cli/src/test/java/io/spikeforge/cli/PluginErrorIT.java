package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.runner.pipeline.OutdatedPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin whose code throws a {@link LinkageError} in the middle of training (it was built against
 * another version of a library than the one it ships): the run ends as failed, as any failure
 * does: exit 7, the status file, the MLflow run FAILED (not KILLED), the stack trace with -v.
 */
class PluginErrorIT {
    @TempDir
    Path workDir;

    @Test
    void aNoSuchMethodErrorFromAPluginFailsTheRun() throws Exception {
        Path home = distributionWithOutdatedPlugin(workDir.resolve("spikeforge"));
        String experiment = Path.of(PluginErrorIT.class.getResource("/experiments/tiny-run.yaml").toURI()).toString();

        DistributionRunner.Result r = new DistributionRunner(home).run(workDir, Map.of(), "-v", "run", experiment,
                "distillation.id=" + OutdatedPlugin.ID, "tracking.enabled=true");

        assertEquals(ExitCodes.RUN_FAILED, r.exitCode(), r::toString);
        assertTrue(r.err().contains("error: the run failed: java.lang.NoSuchMethodError: "
                + OutdatedPlugin.MISSING_METHOD), r::toString);
        assertTrue(r.err().contains("\tat com.example.outdated.OutdatedKdProvider"), "-v: the stack trace\n" + r);
        Matcher folder = Pattern.compile("(?m)^run      (\\S+)$").matcher(r.out());
        assertTrue(folder.find(), r::toString);
        List<String> status = Files.readAllLines(workDir.resolve(folder.group(1)).resolve("status"));
        assertEquals("failed", status.get(0));
        assertTrue(status.get(1).startsWith("java.lang.NoSuchMethodError: " + OutdatedPlugin.MISSING_METHOD), status::toString);
        try (Stream<Path> files = Files.walk(workDir.resolve("mlruns"))) {
            List<Path> runs = files.filter(f -> f.getFileName().toString().equals("meta.yaml")
                    && Files.isDirectory(f.resolveSibling("metrics"))).toList();
            assertEquals(1, runs.size(), runs::toString);
            assertTrue(Files.readAllLines(runs.get(0)).stream().map(String::trim).anyMatch("status: 4"::equals),
                    "MLflow's FAILED is 4 (KILLED 5): " + Files.readString(runs.get(0)));
        }
    }

    /** A copy of the distribution (its lib/ linked) whose plugins/ also holds the outdated plugin. */
    private static Path distributionWithOutdatedPlugin(Path copy) throws Exception {
        Path home = new DistributionRunner().home();
        Files.createDirectories(copy.resolve("bin"));
        Files.copy(home.resolve("bin/spikeforge"), copy.resolve("bin/spikeforge"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createSymbolicLink(copy.resolve("lib"), home.resolve("lib"));
        Files.createDirectories(copy.resolve("plugins"));
        try (Stream<Path> jars = Files.list(home.resolve("plugins"))) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, copy.resolve("plugins").resolve(jar.getFileName()));
            }
        }
        OutdatedPlugin.writeJar(copy.resolve("plugins"));
        return copy;
    }
}
