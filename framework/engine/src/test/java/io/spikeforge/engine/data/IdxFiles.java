package io.spikeforge.engine.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files as the MNIST family ships them, gzipped or not, for tests. */
final class IdxFiles {
    private IdxFiles() {
    }

    /** The pixel every test image has at a position: distinct per image, row and column. */
    static int pixel(int image, int y, int x) {
        return (image * 37 + y * 5 + x * 3) & 0xFF;
    }

    /** Header and pixels of {@code count} images of {@code side x side}, each pixel {@link #pixel}. */
    static byte[] images(int count, int side) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(IdxReader.IMAGES_MAGIC);
        out.writeInt(count);
        out.writeInt(side);
        out.writeInt(side);
        for (int i = 0; i < count; i++) {
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    out.write(pixel(i, y, x));
                }
            }
        }
        return bytes.toByteArray();
    }

    /** Header and one label byte per image. */
    static byte[] labels(int... labels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(IdxReader.LABELS_MAGIC);
        out.writeInt(labels.length);
        for (int label : labels) {
            out.write(label);
        }
        return bytes.toByteArray();
    }

    /** Writes the bytes to {@code folder/name}, or gzipped to {@code folder/name.gz}; returns the file. */
    static Path write(Path folder, String name, byte[] contents, boolean gzip) throws IOException {
        Path file = folder.resolve(gzip ? name + IdxReader.GZIP_SUFFIX : name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(contents);
        }
        return file;
    }

    /** The gzipped form of some bytes. */
    static byte[] gzip(byte[] contents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(contents);
        }
        return bytes.toByteArray();
    }

    /** A complete MNIST-family folder: {@code train} and {@code test} images with labels {@code i % 10}. */
    static void writeFolder(Path folder, int train, int test, boolean gzip) throws IOException {
        for (Split split : Split.values()) {
            int count = split == Split.TRAIN ? train : test;
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = (i + (split == Split.TEST ? 3 : 0)) % 10;
            }
            write(folder, IdxReader.imagesFile(split), images(count, 28), gzip);
            write(folder, IdxReader.labelsFile(split), labels(labels), gzip);
        }
    }
}
