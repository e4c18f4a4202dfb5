package io.spikeforge.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dataset section's rules from the data set registry: default folders, augmentation, IDX files. */
class DatasetRulesTest {
    private final ExperimentLoader loader = new ExperimentLoader(TestComponents.registry());

    @TempDir
    Path dir;

    private Path experiment(String dataset) throws Exception {
        return Files.writeString(dir.resolve("x.yaml"), "experiment: {name: x}\ndataset:\n" + dataset);
    }

    private List<String> problems(Path file) {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
        return e.errors().stream().map(error -> error.toString().replace(dir + "/", "")).toList();
    }

    private List<String> warnings(Path file, List<Experiment> loaded) throws ConfigException {
        List<ConfigError> warnings = new ArrayList<>();
        loaded.add(loader.load(file, List.of(), warnings::add));
        return warnings.stream().map(warning -> warning.toString().replace(dir + "/", "")).toList();
    }

    @Test
    void fashionMnistDefaultsToDebiansFolderAndTheOthersNeedAPath() throws Exception {
        List<Experiment> loaded = new ArrayList<>();
        warnings(experiment("  name: fashion-mnist\n"), loaded);
        assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), loaded.get(0).dataset().path());
        assertEquals("/usr/share/datasets/fashion-mnist", loaded.get(0).flatten().get("dataset.path"),
                "the folder used is recorded with the run");

        assertEquals(List.of("x.yaml:2:1: dataset.path: is required for kmnist, which has no default folder: expected"
                        + " the folder of Kuzushiji-MNIST's files (expected the four Kuzushiji-MNIST IDX files"
                        + " train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and"
                        + " t10k-labels-idx1-ubyte, each gzipped (.gz) or not; see docs/data.md)"),
                problems(experiment("  name: kmnist\n  augment: {horizontal_flip: false}\n")));
        assertEquals(1, problems(experiment("  name: cifar10\n  path:\n")).size(), "an empty path is no path");
    }

    @Test
    void flippingDigitsIsAWarningAndPaddingBeyondTheImageAProblem() throws Exception {
        Path data = Files.createDirectories(dir.resolve("mnist"));
        List<Experiment> loaded = new ArrayList<>();
        assertEquals(List.of("x.yaml:2:1: dataset.augment.horizontal_flip: is true by default: it mirrors mnist's"
                        + " images left-right, which turns MNIST's characters into shapes of no class; set it to false"),
                warnings(experiment("  name: mnist\n  path: " + data + "\n"), loaded).stream()
                        .filter(w -> w.contains("horizontal_flip")).toList());
        assertEquals(List.of(), warnings(experiment("  name: mnist\n  path: " + data
                + "\n  augment: {horizontal_flip: false}\n"), loaded).stream()
                .filter(w -> w.contains("horizontal_flip")).toList());
        assertEquals(List.of(), warnings(experiment("  name: fashion-mnist\n  path: " + data + "\n"), loaded).stream()
                .filter(w -> w.contains("horizontal_flip")).toList(), "clothes mirror well");

        assertEquals(List.of("x.yaml:5:13: dataset.augment.random_crop_padding: 29 is more than the side of"
                        + " fashion-mnist's images (28 pixels); expected 0..28"),
                problems(experiment("  name: fashion-mnist\n  path: " + data
                        + "\n  augment: {random_crop_padding: 29}\n")));
    }

    @Test
    void idxFilesAreCheckedPlainOrGzipped() throws Exception {
        Path data = Files.createDirectories(dir.resolve("kmnist"));
        Files.writeString(data.resolve("train-images-idx3-ubyte.gz"), "");
        Files.writeString(data.resolve("train-labels-idx1-ubyte"), "");
        Files.createDirectory(data.resolve("t10k-images-idx3-ubyte.gz"));
        String yaml = "  name: kmnist\n  path: " + data + "\n  augment: {horizontal_flip: false}\n";

        assertEquals(List.of("x.yaml:4:3: dataset.path: kmnist/t10k-images-idx3-ubyte.gz is a directory, expected the"
                        + " Kuzushiji-MNIST file t10k-images-idx3-ubyte.gz (expected the four Kuzushiji-MNIST IDX files"
                        + " train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and"
                        + " t10k-labels-idx1-ubyte, each gzipped (.gz) or not; see docs/data.md)"),
                problems(experiment(yaml)));

        Files.delete(data.resolve("t10k-images-idx3-ubyte.gz"));
        assertEquals(List.of("x.yaml:4:3: dataset.path: kmnist lacks t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte;"
                        + " `spikeforge run` needs them: expected the four Kuzushiji-MNIST IDX files"
                        + " train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and"
                        + " t10k-labels-idx1-ubyte, each gzipped (.gz) or not; see docs/data.md"),
                warnings(experiment(yaml), new ArrayList<>()));
    }
}
