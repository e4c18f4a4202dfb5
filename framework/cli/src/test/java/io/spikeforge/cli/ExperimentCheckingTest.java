package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.spikeforge.runner.plugin.SpikeforgeVersion;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code validate}, {@code config} and {@code run} in process, with the source tree's plugins: every
 * problem of an experiment is exit code 3 with its file, line and key, whatever the input.
 */
class ExperimentCheckingTest {
    @TempDir
    Path temp;

    /** A valid start of an experiment, two lines, naming a data folder that exists. */
    private String valid;

    @BeforeEach
    void dataFolder() throws IOException {
        valid = "experiment: {name: checked}\ndataset: {name: synthetic, path: "
                + Files.createDirectories(temp.resolve("data")) + "}\n";
    }

    private final InProcessCli cli = new InProcessCli();

    private int run(String... args) {
        return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> cli.run(args));
    }

    private String result() {
        return cli.output();
    }

    @ParameterizedTest
    @ValueSource(strings = {"validate", "config", "run"})
    void aRecursiveAliasIsAnInvalidExperimentAtItsLine(String command) throws IOException {
        Path file = Files.writeString(temp.resolve("recursive.yaml"), valid + "training: &t {x: *t}\n"
                + "outputs: {dir: " + temp.resolve("runs") + "}\n");

        int code = run(command, file.toString());

        assertEquals(ExitCodes.INVALID_EXPERIMENT, code, this::result);
        assertTrue(cli.err().contains(file + ":3:15: training.x: the alias refers to the block anchored as &t"
                + " at line 3, column 11, which contains this alias"), this::result);
        assertTrue(Files.notExists(temp.resolve("runs")), "nothing is written for an invalid experiment");
    }

    @Test
    void anEndlessFileIsAnInvalidExperiment() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.isReadable(zero), "needs /dev/zero");

        int code = run("validate", zero.toString());

        assertEquals(ExitCodes.INVALID_EXPERIMENT, code, this::result);
        assertTrue(cli.err().startsWith("/dev/zero:1:1048577: the file goes on beyond 1 MiB"), this::result);
    }

    @Test
    void anInfiniteParameterIsAnInvalidExperimentAtValidate() throws IOException {
        Path file = Files.writeString(temp.resolve("kd.yaml"), valid + "distillation:\n  id: hinton-kd\n"
                + "  temperature: .inf\n");

        int code = run("validate", file.toString());

        assertEquals(ExitCodes.INVALID_EXPERIMENT, code, this::result);
        assertEquals(file + ":5:3: distillation.temperature: expected a finite number > 0, got .inf\n", cli.err(),
                this::result);
    }

    @Test
    void validateChecksTheKindOfTheFilesAnExperimentNames() throws IOException {
        Path weights = Files.createDirectories(temp.resolve("teacher.safetensors"));
        Path file = Files.writeString(temp.resolve("weights.yaml"), valid + "teacher:\n  weights: " + weights + "\n");

        int code = run("validate", file.toString());

        assertEquals(ExitCodes.INVALID_EXPERIMENT, code, this::result);
        assertEquals(file + ":4:3: teacher.weights: " + weights + " is a directory, expected a .safetensors file (the"
                + " teacher's weights or a checkpoint of a run)\n", cli.err(), this::result);
    }

    @Test
    void validateWarnsOfAFolderThatDoesNotExistYet() throws IOException {
        Path data = temp.resolve("cifar-10-batches-bin");
        Path file = Files.writeString(temp.resolve("cifar.yaml"), "experiment: {name: checked}\n"
                + "dataset: {name: cifar10, path: " + data + "}\n");

        int code = run("validate", file.toString());

        assertEquals(ExitCodes.OK, code, this::result);
        assertTrue(cli.err().startsWith("warning: " + file + ":2:26: dataset.path: " + data + " does not exist;"
                + " `spikeforge run` needs it: expected the CIFAR-10 binary version"), this::result);
        assertTrue(cli.out().contains("valid"), this::result);
    }

    /** A synthetic set's folder that does not exist is the normal first use: the run generates it. */
    @Test
    void aSyntheticSetThatDoesNotExistYetIsNoWarning() throws IOException {
        Path file = Files.writeString(temp.resolve("synthetic.yaml"), "experiment: {name: checked}\n"
                + "dataset: {name: synthetic, path: " + temp.resolve("synthetic-10") + "}\n");

        int code = run("validate", file.toString());

        assertEquals(ExitCodes.OK, code, this::result);
        assertEquals("", cli.err(), this::result);
    }

    @Test
    void configRecordsEveryValueUsedAndEachComponentsPlugin() throws IOException {
        Path file = Files.writeString(temp.resolve("minimal.yaml"), valid);

        int code = run("config", file.toString());

        assertEquals(ExitCodes.OK, code, this::result);
        String version = SpikeforgeVersion.current();
        assertTrue(cli.out().contains("neuron:\n  id: lif\n  plugin: lif\n  plugin_version: " + version
                + "\n  decay: 0.25\n  tau: null\n"), this::result);
        assertTrue(cli.out().contains("surrogate:\n  id: rectangular\n  plugin: surrogates\n"), this::result);
    }
}
