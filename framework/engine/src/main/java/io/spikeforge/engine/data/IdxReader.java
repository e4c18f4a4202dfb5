package io.spikeforge.engine.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX files of the MNIST family (MNIST, Fashion-MNIST, Kuzushiji-MNIST) into an
 * {@link ImageSet}: per split an images file ({@code train-images-idx3-ubyte},
 * {@code t10k-images-idx3-ubyte}) and a labels file ({@code train-labels-idx1-ubyte},
 * {@code t10k-labels-idx1-ubyte}), each gzipped (with {@code .gz}) or not.
 *
 * <p>An IDX file is a big-endian header, then unsigned bytes: the magic number {@code 0x00000803}
 * (unsigned bytes, three dimensions) with the image count, rows and columns for images, or
 * {@code 0x00000801} (one dimension) with the label count for labels. Whether a file is gzipped is
 * read from its first bytes, not its name, so a file that a browser already unpacked but kept the
 * {@code .gz} of is read too. Headers are checked against each other and the expected image shape
 * before any pixel is read; a plain file's size is checked against its header, and a gzipped one
 * that ends early names the image where it ended.
 */
public final class IdxReader {
    /** Magic number of an IDX file of unsigned bytes in three dimensions: images. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes in one dimension: labels. */
    public static final int LABELS_MAGIC = 0x00000801;
    /** The suffix of the gzipped variant of each file. */
    public static final String GZIP_SUFFIX = ".gz";

    private static final int IMAGES_HEADER_BYTES = 16;
    private static final int LABELS_HEADER_BYTES = 8;
    private static final int GZIP_MAGIC = 0x1f8b;
    private static final int READ_BUFFER_BYTES = 1 << 16;
    /** The most bytes one Java array holds safely. */
    private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private IdxReader() {
    }

    /** The name of a split's images file, without {@code .gz}. */
    public static String imagesFile(Split split) {
        return prefix(split) + "-images-idx3-ubyte";
    }

    /** The name of a split's labels file, without {@code .gz}. */
    public static String labelsFile(Split split) {
        return prefix(split) + "-labels-idx1-ubyte";
    }

    private static String prefix(Split split) {
        return split == Split.TRAIN ? "train" : "t10k";
    }

    /**
     * The file a folder holds under a name, plain or with {@code .gz}; the plain one when both are
     * there (it reads faster).
     */
    public static Optional<Path> find(Path folder, String name) {
        Path plain = folder.resolve(name);
        if (Files.isRegularFile(plain)) {
            return Optional.of(plain);
        }
        Path gzipped = folder.resolve(name + GZIP_SUFFIX);
        return Files.isRegularFile(gzipped) ? Optional.of(gzipped) : Optional.empty();
    }

    /**
     * Reads the first {@code limit} images of a split and their labels.
     *
     * @param folder the data set folder
     * @param split which split's files to read
     * @param shape the shape every image must have (its channels are 1: IDX images are grey)
     * @param classes labels must lie in {@code [0, classes)}
     * @param limit the most images to read ({@link Integer#MAX_VALUE} for all)
     * @throws DatasetFormatException naming the file and what was expected, when one is missing, is
     *     not an IDX file of the expected kind, ends early, disagrees with the other on the count, or
     *     has a label out of range
     */
    public static ImageSet read(Path folder, Split split, ImageShape shape, int classes, int limit) throws IOException {
        if (shape.channels() != 1) {
            throw new IllegalArgumentException("IDX images have one channel, not " + shape.channels());
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        Path imagesPath = require(folder, imagesFile(split));
        Path labelsPath = require(folder, labelsFile(split));
        try (DataInputStream images = open(imagesPath); DataInputStream labels = open(labelsPath)) {
            int imageCount = header(images, imagesPath, IMAGES_MAGIC, "images (unsigned bytes, 3 dimensions)");
            int rows = dimension(images, imagesPath, "rows");
            int columns = dimension(images, imagesPath, "columns");
            if (rows != shape.side() || columns != shape.side()) {
                throw new DatasetFormatException(imagesPath + ": images of " + rows + "x" + columns + " pixels, expected "
                        + shape.side() + "x" + shape.side());
            }
            int labelCount = header(labels, labelsPath, LABELS_MAGIC, "labels (unsigned bytes, 1 dimension)");
            if (imageCount != labelCount) {
                throw new DatasetFormatException(labelsPath + ": " + labelCount + " labels, expected one per image of "
                        + imagesPath + " (" + imageCount + ")");
            }
            checkPlainSize(imagesPath, IMAGES_HEADER_BYTES, imageCount, shape.imageBytes());
            checkPlainSize(labelsPath, LABELS_HEADER_BYTES, labelCount, 1);
            int count = Math.min(limit, imageCount);
            if ((long) count * shape.imageBytes() > MAX_ARRAY_BYTES) {
                throw new DatasetFormatException(imagesPath + ": its header announces " + imageCount + " images of "
                        + shape.imageBytes() + " bytes, more than one set can hold ("
                        + MAX_ARRAY_BYTES / shape.imageBytes() + "); expected the real count, or a train_limit or"
                        + " test_limit below that");
            }
            byte[] pixels = readFully(images, count * shape.imageBytes(), imagesPath, imageCount, shape.imageBytes());
            byte[] labelBytes = readFully(labels, count, labelsPath, labelCount, 1);
            int[] values = new int[count];
            for (int i = 0; i < count; i++) {
                values[i] = labelBytes[i] & 0xFF;
                if (values[i] >= classes) {
                    throw new DatasetFormatException(labelsPath + ": label " + i + " is " + values[i] + ", expected 0.."
                            + (classes - 1));
                }
            }
            return new ImageSet(shape, pixels, values, classes);
        }
    }

    private static Path require(Path folder, String name) throws DatasetFormatException {
        return find(folder, name).orElseThrow(() -> new DatasetFormatException(folder.resolve(name) + ": missing (nor is"
                + " there " + name + GZIP_SUFFIX + "), expected an IDX file"));
    }

    /** The file's bytes, unzipped when it starts with the gzip magic number. */
    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), READ_BUFFER_BYTES);
        try {
            raw.mark(2);
            int first = raw.read();
            int second = raw.read();
            raw.reset();
            boolean gzipped = (first << 8 | second) == GZIP_MAGIC;
            return new DataInputStream(gzipped
                    ? new BufferedInputStream(new GZIPInputStream(raw, READ_BUFFER_BYTES), READ_BUFFER_BYTES) : raw);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static boolean isGzipped(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return (in.read() << 8 | in.read()) == GZIP_MAGIC;
        }
    }

    /** Reads the magic number and the first dimension (the count). */
    private static int header(DataInputStream in, Path file, int magic, String kind) throws IOException {
        int actual;
        try {
            actual = in.readInt();
        } catch (EOFException e) {
            throw new DatasetFormatException(file + ": ended within its header, expected an IDX file of " + kind);
        } catch (ZipException e) {
            throw new DatasetFormatException(file + ": not a valid gzip file (" + e.getMessage() + "), expected an IDX"
                    + " file of " + kind + ", gzipped or not");
        }
        if (actual != magic) {
            throw new DatasetFormatException(file + ": starts with " + String.format("0x%08x", actual) + ", expected the"
                    + " IDX magic number " + String.format("0x%08x", magic) + " of " + kind);
        }
        return dimension(in, file, "count");
    }

    private static int dimension(DataInputStream in, Path file, String name) throws IOException {
        int value;
        try {
            value = in.readInt();
        } catch (EOFException e) {
            throw new DatasetFormatException(file + ": ended within its header (before the " + name + ")");
        }
        if (value < 0) {
            throw new DatasetFormatException(file + ": header gives " + name + " " + Integer.toUnsignedLong(value)
                    + ", expected at most " + Integer.MAX_VALUE);
        }
        return value;
    }

    /** A plain (not gzipped) file's size must be its header's plus one record per item. */
    private static void checkPlainSize(Path file, int headerBytes, int items, int itemBytes) throws IOException {
        if (isGzipped(file)) {
            return;
        }
        long expected = headerBytes + (long) items * itemBytes;
        long actual = Files.size(file);
        if (actual != expected) {
            throw new DatasetFormatException(file + ": " + actual + " bytes, expected " + expected + " (a " + headerBytes
                    + "-byte header and " + items + " items of " + itemBytes + " bytes, as its header says)");
        }
    }

    /**
     * The next {@code length} bytes. The buffer grows with what is read, so a header that announces
     * more than a gzipped file holds costs no more memory than the file.
     */
    private static byte[] readFully(DataInputStream in, int length, Path file, int items, int itemBytes)
            throws IOException {
        byte[] read;
        try {
            read = in.readNBytes(length);
        } catch (EOFException | ZipException e) {
            throw new DatasetFormatException(file + ": its gzip data ends early or is damaged (" + e.getMessage()
                    + ") before the " + items + " items its header announces (truncated?)");
        }
        if (read.length != length) {
            throw new DatasetFormatException(file + ": ended after " + read.length / itemBytes + " of the " + items
                    + " items its header announces (truncated?)");
        }
        return read;
    }
}
