package io.spikeforge.api.neuron;

import java.util.Objects;

/**
 * A per-channel affine map that a neuron applies to its current as it reads it
 * ({@link NeuronModel#forward(org.nd4j.linalg.api.ndarray.INDArray, ChannelAffine, int,
 * boolean)}): element {@code i} of the
 * dense, row-major current becomes {@code x[i] * scale[c] + shift[c]} in float arithmetic (one
 * multiplication, then one addition, each rounded), with {@code c = i mod channels}: the channel of
 * a channels-last {@code [T*B, H, W, C]} map. This is the output of a batch-normalization layer
 * whose coefficients are folded into the neurons after it, so that its output is never stored.
 *
 * <p>The arrays are the caller's and are only read during the call that takes them.
 *
 * @param scale the factor per channel, length C
 * @param shift the offset per channel, length C
 */
public record ChannelAffine(float[] scale, float[] shift) {
    /** @throws IllegalArgumentException when the arrays are empty or of different lengths */
    public ChannelAffine {
        Objects.requireNonNull(scale, "scale");
        Objects.requireNonNull(shift, "shift");
        if (scale.length == 0 || scale.length != shift.length) {
            throw new IllegalArgumentException("scale and shift need one entry per channel, got " + scale.length
                    + " and " + shift.length);
        }
    }

    /** C, the number of channels. */
    public int channels() {
        return scale.length;
    }
}
