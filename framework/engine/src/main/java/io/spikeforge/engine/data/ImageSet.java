package io.spikeforge.engine.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Labelled square images held as unsigned bytes, one image after another, each as its channel
 * planes (red, green, blue, or one grey plane) of rows of pixels: the layout of the CIFAR binary
 * records, and of IDX images with one plane.
 */
public final class ImageSet {
    private final ImageShape shape;
    private final byte[] pixels;
    private final int[] labels;
    private final int classCount;

    /**
     * Wraps the given arrays (not copied).
     *
     * @param shape the shape of every image
     * @param pixels {@code labels.length * shape.imageBytes()} bytes, images in order
     * @param labels one label per image, each in {@code [0, classCount)}
     * @param classCount number of classes
     */
    public ImageSet(ImageShape shape, byte[] pixels, int[] labels, int classCount) {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (classCount < 1) {
            throw new IllegalArgumentException("classCount must be >= 1, got " + classCount);
        }
        if (pixels.length != (long) labels.length * shape.imageBytes()) {
            throw new IllegalArgumentException(pixels.length + " pixel bytes for " + labels.length
                    + " images of " + shape + ", expected " + (long) labels.length * shape.imageBytes());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classCount) {
                throw new IllegalArgumentException("image " + i + " has label " + labels[i]
                        + ", expected 0.." + (classCount - 1));
            }
        }
        this.shape = shape;
        this.pixels = pixels;
        this.labels = labels;
        this.classCount = classCount;
    }

    /** The shape of every image. */
    public ImageShape shape() {
        return shape;
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
        Objects.checkIndex(channel, shape.channels());
        Objects.checkIndex(y, shape.side());
        Objects.checkIndex(x, shape.side());
        return pixels[Math.multiplyExact(image, shape.imageBytes()) + channel * shape.plane() + y * shape.side() + x]
                & 0xFF;
    }

    /** A copy of one image's bytes, plane after plane. */
    public byte[] image(int image) {
        Objects.checkIndex(image, size());
        int start = image * shape.imageBytes();
        return Arrays.copyOfRange(pixels, start, start + shape.imageBytes());
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
