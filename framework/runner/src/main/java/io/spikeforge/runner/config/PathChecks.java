package io.spikeforge.runner.config;

import io.spikeforge.common.IoErrors;
import io.spikeforge.engine.data.CifarLayout;
import io.spikeforge.engine.data.Datasets;
import io.spikeforge.engine.data.DatasetKind;
import io.spikeforge.engine.data.IdxReader;
import io.spikeforge.engine.data.ForeignFilesException;
import io.spikeforge.engine.data.Split;
import io.spikeforge.engine.data.SyntheticImageSets;
import io.spikeforge.engine.data.SyntheticMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the files an experiment names as far as the configuration can: each must be of the kind
 * its key expects (a folder for {@code dataset.path} and {@code outputs.dir}, a readable
 * {@code .safetensors} file for {@code teacher.weights}, the data set's files in its folder), else it
 * is a problem at the key. A
 * data folder or file, or a weights file, that does not exist is a warning, not a problem: it may be put there
 * before the run, and {@code spikeforge run} stops if it is still missing. A synthetic set's folder
 * that does not exist is no warning at all: that is the normal first use, where the run generates it.
 * One that holds no set but files Spikeforge did not write is a problem: the run would not touch them.
 */
final class PathChecks {
    private static final String WEIGHTS_SUFFIX = ".safetensors";

    private PathChecks() {
    }

    /** The {@code dataset} section's rule: {@code path} against {@code name}. */
    static void dataset(ResolvedSection dataset, ConfigErrors errors) {
        if (!dataset.isValid("name") || !dataset.isValid("path")) {
            return;
        }
        DatasetKind name = dataset.get("name", DatasetKind.class);
        Path folder = dataset.get("path", Path.class);
        ConfigLocation location = dataset.keyLocation("path");
        String key = dataset.pathOf("path");
        if (!Files.exists(folder)) {
            if (name != DatasetKind.SYNTHETIC) {
                errors.warn(location, key, folder + " does not exist; `spikeforge run` needs it: "
                        + name.expectation());
            }
            return;
        }
        if (!Files.isDirectory(folder)) {
            errors.add(location, key, folder + " is a file, expected a folder: " + name.expectation());
            return;
        }
        if (!Files.isReadable(folder) || !Files.isExecutable(folder)) {
            errors.add(location, key, folder + " is a folder that cannot be read (permission denied)");
            return;
        }
        switch (name.format()) {
            case SYNTHETIC -> syntheticFolder(folder, location, key, errors);
            case CIFAR_BINARY -> dataFiles(folder, name, name.cifarLayout().orElseThrow().fileNames(),
                    location, key, errors);
            case IDX -> dataFiles(folder, name, idxFiles(folder), location, key, errors);
        }
    }

    /** The IDX files' names as the folder holds them: plain, or with .gz where only that exists. */
    private static List<String> idxFiles(Path folder) {
        List<String> names = new ArrayList<>();
        for (Split split : Split.values()) {
            for (String name : List.of(IdxReader.imagesFile(split), IdxReader.labelsFile(split))) {
                names.add(!Files.exists(folder.resolve(name)) && Files.exists(folder.resolve(name + IdxReader.GZIP_SUFFIX))
                        ? name + IdxReader.GZIP_SUFFIX : name);
            }
        }
        return names;
    }

    /**
     * A synthetic set's folder without a set, where the run would generate one: it must not hold
     * files Spikeforge did not write, which the run would refuse to replace (such as real CIFAR files).
     */
    private static void syntheticFolder(Path folder, ConfigLocation location, String key, ConfigErrors errors) {
        if (Files.exists(folder.resolve(SyntheticMetadata.FILE_NAME))) {
            return; // a set to read, which the run checks as it reads it
        }
        try {
            SyntheticImageSets.requireOwnFiles(folder);
        } catch (ForeignFilesException e) {
            String advice = e.realDataAdvice();
            errors.add(location, key, e.getMessage() + ". " + (advice.isEmpty() ? "To run on synthetic data, set"
                    : advice + "set") + " dataset.path to a new folder: the run generates this experiment's synthetic"
                    + " set there");
        } catch (IOException e) {
            errors.add(location, key, folder + " cannot be read: " + IoErrors.message(e));
        }
    }

    private static void dataFiles(Path folder, DatasetKind kind, List<String> fileNames, ConfigLocation location,
                                  String key, ConfigErrors errors) {
        List<String> missing = new ArrayList<>();
        for (String fileName : fileNames) {
            Path file = folder.resolve(fileName);
            if (!Files.exists(file)) {
                missing.add(fileName);
            } else if (!Files.isRegularFile(file)) {
                errors.add(location, key, file + " is a " + (Files.isDirectory(file) ? "directory" : "special file")
                        + ", expected the " + kind.displayName() + " file " + fileName + " (" + kind.expectation() + ")");
            } else if (!Files.isReadable(file)) {
                errors.add(location, key, file + " cannot be read (permission denied)");
            }
        }
        if (!missing.isEmpty()) {
            errors.warn(location, key, folder + " lacks " + String.join(", ", missing) + "; `spikeforge run` needs"
                    + " them: " + kind.expectation());
        }
    }

    /**
     * The {@code outputs} section's rule: {@code dir} is a folder, or can become one: the nearest
     * of it and its parents that exists is a folder.
     */
    static void outputs(ResolvedSection outputs, ConfigErrors errors) {
        if (!outputs.isValid("dir")) {
            return;
        }
        Path folder = outputs.get("dir", Path.class);
        Path existing = folder.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            errors.add(outputs.keyLocation("dir"), outputs.pathOf("dir"), (existing.equals(folder.toAbsolutePath()
                    .normalize()) ? folder + " is a file" : folder + " lies below the file " + existing)
                    + ", expected a folder for the run folders (created when missing)");
        }
    }

    /** The {@code teacher} section's rule: {@code weights}, when set, is a readable .safetensors file. */
    static void teacherWeights(ResolvedSection teacher, ConfigErrors errors) {
        if (!teacher.isValid("weights") || teacher.value("weights") == null) {
            return;
        }
        Path file = teacher.get("weights", Path.class);
        ConfigLocation location = teacher.keyLocation("weights");
        String key = teacher.pathOf("weights");
        String expected = "expected a " + WEIGHTS_SUFFIX + " file (the teacher's weights or a checkpoint of a run)";
        if (Files.isDirectory(file)) {
            errors.add(location, key, file + " is a directory, " + expected);
        } else if (!file.getFileName().toString().endsWith(WEIGHTS_SUFFIX)) {
            errors.add(location, key, file + " is not a " + WEIGHTS_SUFFIX + " file; " + expected + " (PyTorch writes"
                    + " one with safetensors.torch.save_file; see docs/data.md)");
        } else if (!Files.exists(file)) {
            errors.warn(location, key, file + " does not exist; `spikeforge run` needs it: " + expected);
        } else if (!Files.isRegularFile(file)) {
            errors.add(location, key, file + " is a special file, " + expected);
        } else if (!Files.isReadable(file)) {
            errors.add(location, key, file + " cannot be read (permission denied)");
        }
    }
}
