package io.spikeforge.engine.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes CIFAR binary records byte by byte, as the format's description says, for reader tests. */
final class CifarRecords {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    /** A pixel value that tells image, channel, row and column apart (mostly). */
    static int pixelValue(int image, int channel, int y, int x) {
        return (image * 37 + channel * 85 + y * 7 + x * 3) & 0xFF;
    }

    /** Appends a record: the label bytes, then the R plane, G plane, B plane, each row by row. */
    CifarRecords add(int image, int... labelBytes) {
        for (int label : labelBytes) {
            bytes.write(label);
        }
        for (int channel = 0; channel < 3; channel++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    bytes.write(pixelValue(image, channel, y, x));
                }
            }
        }
        return this;
    }

    void writeTo(Path file) throws IOException {
        Files.write(file, bytes.toByteArray());
    }

    /** Writes the records, then extends the file (sparsely) to the given size. */
    void writeTo(Path file, long size) throws IOException {
        writeTo(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
    }
}
