package io.spikeforge.engine.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Reads files in a CIFAR binary format into an {@link ImageSet}. Every file's size is checked
 * against its expected record count before anything is read, so a truncated download fails at
 * once with the file's name.
 */
public final class CifarReader {
    private static final int READ_BUFFER_BYTES = 1 << 16;

    private CifarReader() {
    }

    /**
     * A file of a split and the number of records it must hold.
     *
     * @param fileName name within the data set folder
     * @param records expected number of records
     */
    public record FileRecords(String fileName, int records) {
        public FileRecords {
            Objects.requireNonNull(fileName, "fileName");
            if (records < 0) {
                throw new IllegalArgumentException("records must be >= 0, got " + records);
            }
        }
    }

    /**
     * Reads the first {@code limit} records of the given files, in order.
     *
     * @param folder the data set folder
     * @param layout the record layout
     * @param files the files, each with its expected record count; all must exist with the exact size
     * @param limit the most images to read ({@link Integer#MAX_VALUE} for all)
     * @throws DatasetFormatException when a file is missing, has the wrong size or a label out of range
     * @throws IOException when reading fails
     */
    public static ImageSet read(Path folder, CifarLayout layout, List<FileRecords> files, int limit) throws IOException {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        long available = 0;
        for (FileRecords file : files) {
            checkSize(folder.resolve(file.fileName()), file.records(), layout);
            available += file.records();
        }
        int count = (int) Math.min(limit, available);
        int imageBytes = layout.shape().imageBytes();
        byte[] pixels = new byte[Math.multiplyExact(count, imageBytes)];
        int[] labels = new int[count];
        int read = 0;
        for (FileRecords file : files) {
            if (read == count) {
                break;
            }
            int take = Math.min(file.records(), count - read);
            readRecords(folder.resolve(file.fileName()), layout, take, pixels, labels, read);
            read += take;
        }
        return new ImageSet(layout.shape(), pixels, labels, layout.classCount());
    }

    private static void checkSize(Path file, int records, CifarLayout layout) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetFormatException(file + ": missing, expected " + describe(records, layout));
        }
        long expected = (long) records * layout.recordBytes();
        long actual = Files.size(file);
        if (actual != expected) {
            throw new DatasetFormatException(file + ": " + actual + " bytes, expected " + expected + " ("
                    + records + " records of " + layout.recordBytes() + " bytes)");
        }
    }

    private static String describe(int records, CifarLayout layout) {
        return records + " records of " + layout.recordBytes() + " bytes (" + layout.displayName() + " binary format)";
    }

    private static void readRecords(Path file, CifarLayout layout, int records, byte[] pixels, int[] labels,
                                    int firstImage) throws IOException {
        byte[] labelBytes = new byte[layout.labelBytes()];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), READ_BUFFER_BYTES)) {
            for (int r = 0; r < records; r++) {
                int image = firstImage + r;
                readFully(in, labelBytes, 0, labelBytes.length, file);
                int label = labelBytes[layout.labelOffset()] & 0xFF;
                if (label >= layout.classCount()) {
                    throw new DatasetFormatException(file + ": record " + r + " has label " + label + ", expected 0.."
                            + (layout.classCount() - 1) + " (" + layout.displayName() + " binary format)");
                }
                labels[image] = label;
                int imageBytes = layout.shape().imageBytes();
                readFully(in, pixels, image * imageBytes, imageBytes, file);
            }
        }
    }

    private static void readFully(InputStream in, byte[] target, int offset, int length, Path file) throws IOException {
        if (in.readNBytes(target, offset, length) != length) {
            throw new DatasetFormatException(file + ": ended early (did it change while it was read?)");
        }
    }
}
