package io.spikeforge.engine.data;

import io.spikeforge.engine.data.CifarReader.FileRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * Loads a data set from its folder, with the reader of its {@link DatasetKind#format()}: the real
 * CIFAR-10 or CIFAR-100 (binary version), a synthetic set written by {@link SyntheticImageSets}, or
 * IDX files of the MNIST family. Nothing is downloaded.
 */
public final class Datasets {
    private Datasets() {
    }

    /**
     * Loads both splits, keeping only the first images of each when a limit is given (a limit
     * beyond the split's size keeps all of it). Every file's size is checked before reading, and
     * only the records within the limit are read.
     *
     * @throws DatasetFormatException naming the folder or file when something is missing or has the wrong size
     */
    public static Dataset load(DatasetKind kind, Path folder, OptionalInt trainLimit, OptionalInt testLimit)
            throws IOException {
        int trainCount = limit(trainLimit, "train");
        int testCount = limit(testLimit, "test");
        if (!Files.isDirectory(folder)) {
            throw new DatasetFormatException(folder + (Files.exists(folder) ? ": not a folder; " : ": no such folder; ")
                    + kind.expectation());
        }
        return switch (kind.format()) {
            case CIFAR_BINARY -> loadCifar(kind, folder, kind.cifarLayout().orElseThrow(), trainCount, testCount);
            case IDX -> loadIdx(kind, folder, trainCount, testCount);
            case SYNTHETIC -> loadSynthetic(folder, trainCount, testCount);
        };
    }

    private static int limit(OptionalInt limit, String split) {
        if (limit.isPresent() && limit.getAsInt() < 1) {
            throw new IllegalArgumentException(split + " limit must be >= 1, got " + limit.getAsInt());
        }
        return limit.orElse(Integer.MAX_VALUE);
    }

    private static Dataset loadCifar(DatasetKind kind, Path folder, CifarLayout layout, int trainCount, int testCount)
            throws IOException {
        checkFilesPresent(kind, folder, layout);
        ImageSet train = CifarReader.read(folder, layout, realFiles(layout, Split.TRAIN), trainCount);
        ImageSet test = CifarReader.read(folder, layout, realFiles(layout, Split.TEST), testCount);
        return new Dataset(kind, folder, train, test, kind.publishedStatistics().orElseThrow());
    }

    private static Dataset loadIdx(DatasetKind kind, Path folder, int trainCount, int testCount) throws IOException {
        for (Split split : Split.values()) {
            for (String name : List.of(IdxReader.imagesFile(split), IdxReader.labelsFile(split))) {
                if (IdxReader.find(folder, name).isEmpty()) {
                    throw new DatasetFormatException(folder.resolve(name) + ": missing (nor is there " + name
                            + IdxReader.GZIP_SUFFIX + "); " + kind.expectation());
                }
            }
        }
        ImageSet train = IdxReader.read(folder, Split.TRAIN, kind.shape(), kind.classes(), trainCount);
        ImageSet test = IdxReader.read(folder, Split.TEST, kind.shape(), kind.classes(), testCount);
        return new Dataset(kind, folder, train, test, kind.publishedStatistics().orElseThrow());
    }

    private static List<FileRecords> realFiles(CifarLayout layout, Split split) {
        return layout.fileNames(split).stream().map(name -> new FileRecords(name, layout.realRecordsPerFile(split))).toList();
    }

    private static void checkFilesPresent(DatasetKind kind, Path folder, CifarLayout layout) throws IOException {
        for (Split split : Split.values()) {
            for (String name : layout.fileNames(split)) {
                Path file = folder.resolve(name);
                if (!Files.isRegularFile(file)) {
                    throw new DatasetFormatException(file + ": missing; " + kind.expectation() + hint(folder, layout));
                }
            }
        }
    }

    /** Recognizes the two usual mistakes: the Python version, and the folder above the extracted one. */
    private static String hint(Path folder, CifarLayout layout) {
        if (Files.exists(folder.resolve("data_batch_1")) || Files.exists(folder.resolve("train"))) {
            return " (this folder looks like the Python version; download the binary version)";
        }
        Path nested = folder.resolve(layout == CifarLayout.CIFAR10 ? "cifar-10-batches-bin" : "cifar-100-binary");
        if (Files.isDirectory(nested)) {
            return " (did you mean " + nested + "?)";
        }
        return "";
    }

    private static Dataset loadSynthetic(Path folder, int trainCount, int testCount) throws IOException {
        SyntheticMetadata metadata = SyntheticMetadata.read(folder);
        CifarLayout layout = metadata.layout();
        ImageSet train = CifarReader.read(folder, layout, metadata.files(Split.TRAIN), trainCount);
        ImageSet test = CifarReader.read(folder, layout, metadata.files(Split.TEST), testCount);
        return new Dataset(DatasetKind.SYNTHETIC, folder, train, test, metadata.normalization());
    }
}
