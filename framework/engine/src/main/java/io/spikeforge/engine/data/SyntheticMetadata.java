package io.spikeforge.engine.data;

import io.spikeforge.engine.data.CifarReader.FileRecords;
import io.spikeforge.engine.io.Sha256;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The description a synthetic set keeps in its folder ({@value #FILE_NAME}): how it was generated,
 * which files hold how many records, the channel statistics of its training images, and the SHA-256
 * of every file the set consists of. The checksums are Spikeforge's proof that a file is one it
 * wrote: it replaces or deletes no file of the folder whose content they do not match.
 *
 * @param generatorVersion the version of the generator that wrote the set
 * @param seed the seed
 * @param classCount 10 or 100
 * @param trainFiles the training files and their record counts
 * @param testFiles the test files and their record counts
 * @param normalization mean and standard deviation of each channel over all training images
 * @param sha256 the SHA-256 (lower-case hex) of each file of the set by name, data files and
 *     {@value SyntheticImageSets#README_FILE}; empty for a set written before Spikeforge recorded them
 */
public record SyntheticMetadata(int generatorVersion, long seed, int classCount, List<FileRecords> trainFiles,
                                List<FileRecords> testFiles, Normalization normalization, Map<String, String> sha256) {
    /** The metadata file's name within the set's folder. */
    public static final String FILE_NAME = "synthetic.properties";

    private static final String SHA256_PREFIX = "sha256.";

    public SyntheticMetadata {
        CifarLayout.forClassCount(classCount);
        trainFiles = List.copyOf(trainFiles);
        testFiles = List.copyOf(testFiles);
        Objects.requireNonNull(normalization, "normalization");
        sha256 = Collections.unmodifiableMap(new LinkedHashMap<>(sha256));
    }

    /** The binary layout of the files. */
    public CifarLayout layout() {
        return CifarLayout.forClassCount(classCount);
    }

    /** The files of a split. */
    public List<FileRecords> files(Split split) {
        return split == Split.TRAIN ? trainFiles : testFiles;
    }

    /** Number of images in a split. */
    public int count(Split split) {
        return files(split).stream().mapToInt(FileRecords::records).sum();
    }

    /**
     * Reads the metadata of the synthetic set in a folder.
     *
     * @throws DatasetFormatException when the file is missing or a value is absent or malformed
     */
    public static SyntheticMetadata read(Path folder) throws IOException {
        Path file = folder.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new DatasetFormatException(file + ": missing, so " + folder + " holds no complete synthetic set"
                    + (SyntheticImageSets.hasUnfinishedGeneration(folder)
                    ? " (a generation there was interrupted; running it again finishes it)"
                    : " (Spikeforge writes this file last, after the images)")
                    + "; " + DatasetKind.SYNTHETIC.expectation());
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Values values = new Values(file, properties);
        try {
            return new SyntheticMetadata(values.integer("generator_version"), values.longValue("seed"),
                    values.integer("classes"), values.files("files.train"), values.files("files.test"),
                    new Normalization(values.doubles("mean"), values.doubles("std")), values.checksums());
        } catch (IllegalArgumentException e) {
            throw new DatasetFormatException(file + ": " + e.getMessage());
        }
    }

    /** The names of the data files, training files first, in reading order. */
    public List<String> dataFileNames() {
        List<String> names = new ArrayList<>();
        for (Split split : Split.values()) {
            files(split).forEach(file -> names.add(file.fileName()));
        }
        return names;
    }

    /** The metadata as the text of {@value #FILE_NAME}; no time stamps, so equal sets give equal bytes. */
    String toText() {
        return "# Spikeforge synthetic image set (see README.txt). Written last: its presence means the set is complete.\n"
                + "generator_version=" + generatorVersion + "\n"
                + "seed=" + seed + "\n"
                + "classes=" + classCount + "\n"
                + "layout=" + layout().name().toLowerCase(Locale.ROOT) + "\n"
                + "train=" + count(Split.TRAIN) + "\n"
                + "test=" + count(Split.TEST) + "\n"
                + "files.train=" + filesText(trainFiles) + "\n"
                + "files.test=" + filesText(testFiles) + "\n"
                + "mean=" + doublesText(normalization.mean()) + "\n"
                + "std=" + doublesText(normalization.std()) + "\n"
                + sha256.entrySet().stream().map(e -> SHA256_PREFIX + e.getKey() + "=" + e.getValue() + "\n")
                        .collect(Collectors.joining());
    }

    private static String filesText(List<FileRecords> files) {
        return files.stream().map(f -> f.fileName() + ":" + f.records()).collect(Collectors.joining(","));
    }

    private static String doublesText(double[] values) {
        return Arrays.stream(values).mapToObj(Double::toString).collect(Collectors.joining(","));
    }

    /** Typed access to the properties, with errors that name the file and key. */
    private record Values(Path file, Properties properties) {
        String text(String key) throws DatasetFormatException {
            String value = properties.getProperty(key);
            if (value == null || value.isBlank()) {
                throw new DatasetFormatException(file + ": no value for '" + key + "'");
            }
            return value.trim();
        }

        int integer(String key) throws DatasetFormatException {
            try {
                return Integer.parseInt(text(key));
            } catch (NumberFormatException e) {
                throw malformed(key, "an integer");
            }
        }

        long longValue(String key) throws DatasetFormatException {
            try {
                return Long.parseLong(text(key));
            } catch (NumberFormatException e) {
                throw malformed(key, "an integer");
            }
        }

        double[] doubles(String key) throws DatasetFormatException {
            try {
                return Arrays.stream(text(key).split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
            } catch (NumberFormatException e) {
                throw malformed(key, "numbers separated by commas");
            }
        }

        List<FileRecords> files(String key) throws DatasetFormatException {
            List<FileRecords> files = new ArrayList<>();
            for (String entry : text(key).split(",")) {
                int colon = entry.lastIndexOf(':');
                try {
                    files.add(new FileRecords(entry.substring(0, colon).trim(),
                            Integer.parseInt(entry.substring(colon + 1).trim())));
                } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
                    throw malformed(key, "entries name:records separated by commas");
                }
            }
            return files;
        }

        Map<String, String> checksums() throws DatasetFormatException {
            Map<String, String> checksums = new LinkedHashMap<>();
            for (String key : new TreeSet<>(properties.stringPropertyNames())) {
                if (key.startsWith(SHA256_PREFIX)) {
                    String hex = text(key);
                    if (!Sha256.isChecksum(hex)) {
                        throw malformed(key, "64 lower-case hex digits");
                    }
                    checksums.put(key.substring(SHA256_PREFIX.length()), hex);
                }
            }
            return checksums;
        }

        private DatasetFormatException malformed(String key, String expected) throws DatasetFormatException {
            return new DatasetFormatException(file + ": '" + key + "' is '" + text(key) + "', expected " + expected);
        }
    }
}
