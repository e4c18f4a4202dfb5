package io.spikeforge.engine.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Labelled 32x32 RGB images held as unsigned bytes, one image after another, each as three planes
 * (red, green, blue) of 32 rows of 32 pixels: the layout of the CIFAR binary records.
 */
public final class ImageSet {
    /** Image height and width in pixels. */
    public static final int SIDE = 32;
    /** Colour channels per image. */
    public static final int CHANNELS = 3;
    /** Pixels in one channel plane. */
    public static final int PLANE = SIDE * SIDE;
    /** Bytes per image: three planes. */
    public static final int IMAGE_BYTES = CHANNELS * PLANE;

    private final byte[] pixels;
    private final int[] labels;
    private final int classCount;

    /**
     * Wraps the given arrays (not copied).
     *
     * @param pixels {@code labels.length * IMAGE_BYTES} bytes, images in order
     * @param labels one label per image, each in {@code [0, classCount)}
     * @param classCount number of classes
     */
    public ImageSet(byte[] pixels, int[] labels, int classCount) {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (classCount < 1) {
            throw new IllegalArgumentException("classCount must be >= 1, got " + classCount);
        }
        if (pixels.length != (long) labels.length * IMAGE_BYTES) {
            throw new IllegalArgumentException(pixels.length + " pixel bytes for " + labels.length
                    + " images, expected " + (long) labels.length * IMAGE_BYTES);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classCount) {
                throw new IllegalArgumentException("image " + i + " has label " + labels[i]
                        + ", expected 0.." + (classCount - 1));
            }
        }
        this.pixels = pixels;
        this.labels = labels;
        this.classCount = classCount;
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Number of classes the labels range over. */
    public int classCount() {
        return classCount;
    }

    /** The label of one image. */
    public int label(int image) {
        return labels[image];
    }

    /** A copy of all labels, in image order. */
    public int[] labels() {
        return labels.clone();
    }

    /** One pixel value in {@code [0, 255]}. */
    public int pixel(int image, int channel, int y, int x) {
        Objects.checkIndex(channel, CHANNELS);
        Objects.checkIndex(y, SIDE);
        Objects.checkIndex(x, SIDE);
        return pixels[Math.multiplyExact(image, IMAGE_BYTES) + channel * PLANE + y * SIDE + x] & 0xFF;
    }

    /** A copy of one image's {@link #IMAGE_BYTES} bytes (planes R, G, B). */
    public byte[] image(int image) {
        Objects.checkIndex(image, size());
        int start = image * IMAGE_BYTES;
        return Arrays.copyOfRange(pixels, start, start + IMAGE_BYTES);
    }

    /** How many images each class has, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[classCount];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** The backing pixel array, for batch assembly without copying; callers must not modify it. */
    byte[] pixelData() {
        return pixels;
    }
}
