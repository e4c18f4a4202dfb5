package io.spikeforge.engine.data;

import java.util.Arrays;

/**
 * Per-channel normalization of pixels scaled to {@code [0, 1]}: {@code (v / 255 - mean[c]) / std[c]},
 * as torchvision's {@code ToTensor} followed by {@code Normalize}.
 *
 * @param mean mean of each channel (R, G, B, or the one grey channel) on the {@code [0, 1]} scale
 * @param std standard deviation of each channel
 */
public record Normalization(double[] mean, double[] std) {
    /** The statistics torchvision users quote for the CIFAR-10 training set. */
    public static final Normalization CIFAR10 =
            new Normalization(new double[] {0.4914, 0.4822, 0.4465}, new double[] {0.2470, 0.2435, 0.2616});
    /** The statistics torchvision users quote for the CIFAR-100 training set. */
    public static final Normalization CIFAR100 =
            new Normalization(new double[] {0.5071, 0.4865, 0.4409}, new double[] {0.2673, 0.2564, 0.2762});

    /** The statistics torchvision users quote for the MNIST training set. */
    public static final Normalization MNIST = new Normalization(new double[] {0.1307}, new double[] {0.3081});
    /** The statistics of the Fashion-MNIST training set, as its users quote them. */
    public static final Normalization FASHION_MNIST = new Normalization(new double[] {0.2860}, new double[] {0.3530});
    /** The statistics of the Kuzushiji-MNIST training set, as its users quote them. */
    public static final Normalization KMNIST = new Normalization(new double[] {0.1918}, new double[] {0.3483});

    public Normalization {
        if (mean.length < 1 || mean.length != std.length) {
            throw new IllegalArgumentException("mean and std need one value per channel each, got "
                    + mean.length + " and " + std.length);
        }
        for (double s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be > 0, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** No normalization of images with the given channels: pixels only scaled to {@code [0, 1]}. */
    public static Normalization unitRange(int channels) {
        double[] std = new double[channels];
        Arrays.fill(std, 1);
        return new Normalization(new double[channels], std);
    }

    /** The mean and (population) standard deviation of each channel over all images of a set. */
    public static Normalization of(ImageSet images) {
        ChannelMoments moments = new ChannelMoments(images.shape());
        moments.add(images.pixelData(), 0, images.size());
        return moments.normalization();
    }

    /** Channels this normalizes. */
    public int channels() {
        return mean.length;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    /** The normalized value of each byte value, per channel: {@code table[c][v]}. */
    float[][] lookupTables() {
        float[][] tables = new float[mean.length][256];
        for (int c = 0; c < mean.length; c++) {
            for (int v = 0; v < 256; v++) {
                tables[c][v] = (float) ((v / 255.0 - mean[c]) / std[c]);
            }
        }
        return tables;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }

    /** Exact integer sums of pixel values and their squares per channel, so the result is independent of order. */
    static final class ChannelMoments {
        private final ImageShape shape;
        private final long[] sums;
        private final long[] squares;
        private long pixelsPerChannel;

        ChannelMoments(ImageShape shape) {
            this.shape = shape;
            this.sums = new long[shape.channels()];
            this.squares = new long[shape.channels()];
        }

        void add(byte[] pixels, int firstImage, int images) {
            for (int i = firstImage; i < firstImage + images; i++) {
                for (int c = 0; c < shape.channels(); c++) {
                    int start = i * shape.imageBytes() + c * shape.plane();
                    long sum = 0;
                    long square = 0;
                    for (int p = start; p < start + shape.plane(); p++) {
                        int v = pixels[p] & 0xFF;
                        sum += v;
                        square += v * v;
                    }
                    sums[c] += sum;
                    squares[c] += square;
                }
            }
            pixelsPerChannel += (long) images * shape.plane();
        }

        Normalization normalization() {
            if (pixelsPerChannel == 0) {
                throw new IllegalStateException("no images to compute channel statistics from");
            }
            double[] mean = new double[shape.channels()];
            double[] std = new double[shape.channels()];
            for (int c = 0; c < shape.channels(); c++) {
                double m = sums[c] / (double) pixelsPerChannel;
                double variance = squares[c] / (double) pixelsPerChannel - m * m;
                mean[c] = m / 255.0;
                std[c] = Math.sqrt(Math.max(variance, 0)) / 255.0;
            }
            return new Normalization(mean, std);
        }
    }
}
