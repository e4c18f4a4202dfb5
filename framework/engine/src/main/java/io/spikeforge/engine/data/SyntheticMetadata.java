package io.spikeforge.engine.data;

import io.spikeforge.engine.data.CifarReader.FileRecords;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The description a synthetic set keeps in its folder ({@value #FILE_NAME}): how it was generated,
 * which files hold how many records, and the channel statistics of its training images.
 *
 * @param generatorVersion the version of the generator that wrote the set
 * @param seed the seed
 * @param classCount 10 or 100
 * @param trainFiles the training files and their record counts
 * @param testFiles the test files and their record counts
 * @param normalization mean and standard deviation of each channel over all training images
 */
public record SyntheticMetadata(int generatorVersion, long seed, int classCount, List<FileRecords> trainFiles,
                                List<FileRecords> testFiles, Normalization normalization) {
    /** The metadata file's name within the set's folder. */
    public static final String FILE_NAME = "synthetic.properties";

    public SyntheticMetadata {
        CifarLayout.forClassCount(classCount);
        trainFiles = List.copyOf(trainFiles);
        testFiles = List.copyOf(testFiles);
        Objects.requireNonNull(normalization, "normalization");
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
            throw new DatasetFormatException(file + ": missing; a synthetic set is made with `spikeforge data synth --out "
                    + folder + "` (the file is written last, so an interrupted generation leaves none)");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Values values = new Values(file, properties);
        try {
            return new SyntheticMetadata(values.integer("generator_version"), values.longValue("seed"),
                    values.integer("classes"), values.files("files.train"), values.files("files.test"),
                    new Normalization(values.doubles("mean"), values.doubles("std")));
        } catch (IllegalArgumentException e) {
            throw new DatasetFormatException(file + ": " + e.getMessage());
        }
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
                + "std=" + doublesText(normalization.std()) + "\n";
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

        private DatasetFormatException malformed(String key, String expected) throws DatasetFormatException {
            return new DatasetFormatException(file + ": '" + key + "' is '" + text(key) + "', expected " + expected);
        }
    }
}
