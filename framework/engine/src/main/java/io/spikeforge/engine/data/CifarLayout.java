package io.spikeforge.engine.data;

import java.util.List;
import java.util.stream.Stream;

/**
 * The two CIFAR binary formats: file names, record layout and the sizes of the real data sets.
 *
 * <p>A record is the label byte(s) followed by the pixel bytes of a {@link ImageShape#RGB_32} image:
 * the red plane, then green, then blue, each 32 rows of 32 pixels.
 */
public enum CifarLayout {
    /** {@code data_batch_1.bin} .. {@code data_batch_5.bin} and {@code test_batch.bin}; one label byte. */
    CIFAR10("CIFAR-10", 10, 1, 0,
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"),
            List.of("test_batch.bin"), 10_000, 10_000),
    /** {@code train.bin} and {@code test.bin}; a coarse then a fine label byte (the fine label is used). */
    CIFAR100("CIFAR-100", 100, 2, 1, List.of("train.bin"), List.of("test.bin"), 50_000, 10_000);

    private final String displayName;
    private final int classCount;
    private final int labelBytes;
    private final int labelOffset;
    private final List<String> trainFiles;
    private final List<String> testFiles;
    private final int realRecordsPerTrainFile;
    private final int realRecordsPerTestFile;

    CifarLayout(String displayName, int classCount, int labelBytes, int labelOffset, List<String> trainFiles,
                List<String> testFiles, int realRecordsPerTrainFile, int realRecordsPerTestFile) {
        this.displayName = displayName;
        this.classCount = classCount;
        this.labelBytes = labelBytes;
        this.labelOffset = labelOffset;
        this.trainFiles = trainFiles;
        this.testFiles = testFiles;
        this.realRecordsPerTrainFile = realRecordsPerTrainFile;
        this.realRecordsPerTestFile = realRecordsPerTestFile;
    }

    /** The layout for a number of classes: 10 or 100. */
    public static CifarLayout forClassCount(int classes) {
        for (CifarLayout layout : values()) {
            if (layout.classCount == classes) {
                return layout;
            }
        }
        throw new IllegalArgumentException("no CIFAR layout has " + classes + " classes; expected 10 or 100");
    }

    /** {@code CIFAR-10} or {@code CIFAR-100}. */
    public String displayName() {
        return displayName;
    }

    /** Number of classes (fine classes for CIFAR-100). */
    public int classCount() {
        return classCount;
    }

    /** Label bytes at the start of each record. */
    public int labelBytes() {
        return labelBytes;
    }

    /** Position of the label that is used within the label bytes. */
    public int labelOffset() {
        return labelOffset;
    }

    /** The shape of every image: 32x32 RGB. */
    public ImageShape shape() {
        return ImageShape.RGB_32;
    }

    /** Bytes per record: labels and pixels. */
    public int recordBytes() {
        return labelBytes + shape().imageBytes();
    }

    /** The file names of both splits: training, then test. */
    public List<String> fileNames() {
        return Stream.concat(trainFiles.stream(), testFiles.stream()).toList();
    }

    /** The file names of a split, in reading order. */
    public List<String> fileNames(Split split) {
        return split == Split.TRAIN ? trainFiles : testFiles;
    }

    /** Records per file in the real data set. */
    public int realRecordsPerFile(Split split) {
        return split == Split.TRAIN ? realRecordsPerTrainFile : realRecordsPerTestFile;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
