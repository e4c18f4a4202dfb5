package io.spikeforge.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataset.path} and {@code teacher.weights} are checked against the file system: a path of the
 * wrong kind is a problem at its key, one that does not exist (yet) a warning.
 */
class PathChecksTest {
    private final ExperimentLoader loader = new ExperimentLoader(TestComponents.registry());

    @TempDir
    Path dir;

    private Path experiment(String dataset, String path, String weights) throws Exception {
        return Files.writeString(dir.resolve("x.yaml"), "experiment: {name: x}\n"
                + "dataset:\n  name: " + dataset + "\n  path: " + path + "\n"
                + (weights == null ? "" : "teacher:\n  weights: " + weights + "\n"));
    }

    private List<String> problems(Path file) {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
        return e.errors().stream().map(error -> error.toString().replace(dir + "/", "")).toList();
    }

    private List<String> warnings(Path file) throws ConfigException {
        List<ConfigError> warnings = new ArrayList<>();
        loader.load(file, List.of(), warnings::add);
        return warnings.stream().map(warning -> warning.toString().replace(dir + "/", "")).toList();
    }

    @Test
    void pathsOfTheWrongKindAreProblemsAtTheirKeys() throws Exception {
        Path cifar = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        for (int i = 1; i <= 5; i++) {
            Files.writeString(cifar.resolve("data_batch_" + i + ".bin"), "");
        }
        Files.createDirectory(cifar.resolve("test_batch.bin"));
        Files.createDirectory(dir.resolve("teacher.safetensors"));

        assertEquals(List.of(
                "x.yaml:4:3: dataset.path: cifar-10-batches-bin/test_batch.bin is a directory, expected the CIFAR-10 file"
                        + " test_batch.bin (expected the CIFAR-10 binary version (data_batch_1.bin .. data_batch_5.bin,"
                        + " test_batch.bin), the folder cifar-10-batches-bin extracted from cifar-10-binary.tar.gz; see"
                        + " docs/data.md)",
                "x.yaml:6:3: teacher.weights: teacher.safetensors is a directory, expected a .safetensors"
                        + " file (the teacher's weights or a checkpoint of a run)"),
                problems(experiment("cifar10", cifar.toString(), dir.resolve("teacher.safetensors").toString())));

        Path file = Files.writeString(dir.resolve("data.bin"), "");
        Path pt = Files.writeString(dir.resolve("teacher.pt"), "");
        assertEquals(List.of(
                "x.yaml:4:3: dataset.path: data.bin is a file, expected a folder: expected a synthetic set, which"
                        + " `spikeforge run` generates where dataset.path holds none and `spikeforge data synth --out"
                        + " <new folder>` makes; see docs/data.md",
                "x.yaml:6:3: teacher.weights: teacher.pt is not a .safetensors file; expected a .safetensors file (the"
                        + " teacher's weights or a checkpoint of a run) (PyTorch writes one with"
                        + " safetensors.torch.save_file; see docs/data.md)"),
                problems(experiment("synthetic", file.toString(), pt.toString())));
    }

    @Test
    void anUnreadableWeightsFileIsAProblem() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads everything");
        Path weights = Files.writeString(dir.resolve("teacher.safetensors"), "");
        Files.setPosixFilePermissions(weights, PosixFilePermissions.fromString("-w-------"));

        assertEquals(List.of("x.yaml:6:3: teacher.weights: teacher.safetensors cannot be read (permission denied)"),
                problems(experiment("synthetic", dir.resolve("synthetic").toString(), weights.toString())));
    }

    @Test
    void pathsThatDoNotExistYetAreWarnings() throws Exception {
        Path synthetic = dir.resolve("synthetic-10");
        Path weights = dir.resolve("runs/teacher.safetensors");
        assertEquals(List.of(
                "x.yaml:6:3: teacher.weights: runs/teacher.safetensors does not exist; `spikeforge run` needs it: expected a"
                        + " .safetensors file (the teacher's weights or a checkpoint of a run)"),
                warnings(experiment("synthetic", synthetic.toString(), weights.toString())));

        Path cifar = dir.resolve("cifar-100-binary");
        assertEquals(List.of("x.yaml:4:3: dataset.path: cifar-100-binary does not exist; `spikeforge run` needs it:"
                        + " expected the CIFAR-100 binary version (train.bin, test.bin), the folder cifar-100-binary"
                        + " extracted from cifar-100-binary.tar.gz; see docs/data.md"),
                warnings(experiment("cifar100", cifar.toString(), null)));

        Files.createDirectories(cifar);
        Files.writeString(cifar.resolve("train.bin"), "");
        assertEquals(List.of("x.yaml:4:3: dataset.path: cifar-100-binary lacks test.bin; `spikeforge run` needs them:"
                        + " expected the CIFAR-100 binary version (train.bin, test.bin), the folder cifar-100-binary"
                        + " extracted from cifar-100-binary.tar.gz; see docs/data.md"),
                warnings(experiment("cifar100", cifar.toString(), null)));

        Files.writeString(cifar.resolve("test.bin"), "");
        assertEquals(List.of(), warnings(experiment("cifar100", cifar.toString(), null)));
    }

    /**
     * A synthetic set's folder that holds files Spikeforge did not write, such as the real CIFAR
     * files, was valid; the run then refused to generate there (exit 7 instead of 3).
     */
    @Test
    void aSyntheticSetsFolderWithOtherFilesIsAProblem() throws Exception {
        Path cifar = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        for (String name : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin")) {
            Files.writeString(cifar.resolve(name), "");
        }
        Path notes = Files.createDirectories(dir.resolve("notes"));
        Files.writeString(notes.resolve("todo.txt"), "mine");

        assertEquals(List.of("x.yaml:4:3: dataset.path: cifar-10-batches-bin: holds files that Spikeforge did not"
                        + " write (data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, ...); it never replaces or"
                        + " deletes them. If they are the CIFAR-10 binary files, set dataset.name=cifar10; otherwise set"
                        + " dataset.path to a new folder: the run generates this experiment's synthetic set there"),
                problems(experiment("synthetic", cifar.toString(), null)));
        assertEquals(List.of("x.yaml:4:3: dataset.path: notes: holds files that Spikeforge did not write (todo.txt);"
                        + " it never replaces or deletes them. To run on synthetic data, set dataset.path to a new"
                        + " folder: the run generates this experiment's synthetic set there"),
                problems(experiment("synthetic", notes.toString(), null)));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals(List.of(), warnings(experiment("synthetic", empty.toString(), null)));
    }

    /** {@code outputs.dir=README.md} was valid; the run then failed to create its folder (exit 7). */
    @Test
    void anOutputsDirThatIsOrLiesBelowAFileIsAProblem() throws Exception {
        Path readme = Files.writeString(dir.resolve("README.md"), "text");
        Path experiment = experiment("synthetic", dir.resolve("synthetic").toString(), null);
        ExperimentLoader checking = loader;

        for (Path outputs : List.of(readme, readme.resolve("runs/x"))) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> checking.load(experiment, List.of("outputs.dir=" + outputs)));
            assertEquals(List.of("outputs.dir: " + outputs + (outputs.equals(readme) ? " is a file"
                    : " lies below the file " + readme) + ", expected a folder for the run folders (created when"
                    + " missing)"), e.errors().stream().map(error -> error.keyPath() + ": " + error.message()).toList());
        }
        assertEquals(List.of(), warnings(experiment));
    }
}
