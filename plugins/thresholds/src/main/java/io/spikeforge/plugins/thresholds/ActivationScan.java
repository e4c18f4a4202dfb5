package io.spikeforge.plugins.thresholds;

import io.spikeforge.api.convert.LayerCalibration;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Reads a layer's ANN activations in chunks of whole images, as doubles, handing each run of values
 * that share a threshold (a channel of one image, or the whole image for one threshold per layer)
 * to a visitor. A pass holds at most about {@link #CHUNK_ELEMENTS} values besides the activations
 * themselves, so strategies can make several passes over 50 million activations without copying
 * them. Every pass checks that the values are finite.
 */
final class ActivationScan {
    /** About how many activations one chunk holds (8 MB of doubles); at least one image. */
    static final int CHUNK_ELEMENTS = 1 << 20;

    /** Receives the values of group {@code group} in {@code values[from, to)}. */
    @FunctionalInterface
    interface Visitor {
        void accept(int group, double[] values, int from, int to);
    }

    private final LayerCalibration layer;
    private final INDArray activations;
    private final int groups;
    private final int channels;
    private final long images;
    private final int perChannel;

    ActivationScan(LayerCalibration layer) {
        this.layer = layer;
        this.activations = layer.annActivations();
        long[] shape = activations.shape();
        if (activations.rank() < 2 || shape[1] != layer.channels() || activations.length() == 0) {
            throw new IllegalArgumentException("layer " + layer.layerName() + ": ANN activations must be [N, "
                    + layer.channels() + ", ...] with N > 0, got " + Arrays.toString(shape));
        }
        this.channels = layer.channels();
        this.groups = layer.thresholdCount();
        this.images = shape[0];
        long perImage = activations.length() / images;
        if (perImage > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("layer " + layer.layerName() + ": " + perImage
                    + " activations per image are more than one chunk can hold");
        }
        this.perChannel = (int) (perImage / channels);
    }

    /** The number of thresholds: 1, or one per channel. */
    int groups() {
        return groups;
    }

    LayerCalibration layer() {
        return layer;
    }

    /** Hands every activation to {@code visitor}, group by group within each image, images in order. */
    void forEach(Visitor visitor) {
        long perImage = (long) perChannel * channels;
        long imagesPerChunk = Math.max(1, CHUNK_ELEMENTS / perImage);
        for (long first = 0; first < images; first += imagesPerChunk) {
            long end = Math.min(images, first + imagesPerChunk);
            double[] values = activations.get(NDArrayIndex.interval(first, end)).castTo(DataType.DOUBLE).dup('c').data()
                    .asDouble();
            checkFinite(values, first);
            if (groups == 1) {
                visitor.accept(0, values, 0, values.length);
                continue;
            }
            for (int offset = 0, channel = 0; offset < values.length; offset += perChannel) {
                visitor.accept(channel, values, offset, offset + perChannel);
                channel = channel + 1 == channels ? 0 : channel + 1;
            }
        }
    }

    private void checkFinite(double[] values, long firstImage) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                long perImage = (long) perChannel * channels;
                throw new IllegalArgumentException("layer " + layer.layerName() + ": ANN activation " + values[i]
                        + " of image " + (firstImage + i / perImage) + ", channel " + (i % perImage / perChannel)
                        + " is not finite; thresholds need finite activations");
            }
        }
    }

    /** The largest activation of each group, or 0 where every activation is 0 or negative. */
    double[] maxima() {
        double[] maxima = new double[groups];
        forEach((group, values, from, to) -> {
            double max = maxima[group];
            for (int i = from; i < to; i++) {
                max = Math.max(max, values[i]);
            }
            maxima[group] = max;
        });
        return maxima;
    }
}
