package io.spikeforge.api.model;

/** What a layer computes, as far as initialization strategies need to know. */
public enum LayerKind {
    /** 2-D convolution; tensor {@code weight} is {@code [out, in, kH, kW]}, optional {@code bias}. */
    CONVOLUTION,
    /** Batch normalization; tensors {@code weight}, {@code bias}, {@code running_mean}, {@code running_var}. */
    BATCH_NORM,
    /** Fully connected; tensor {@code weight} is {@code [out, in]}, plus {@code bias}. */
    LINEAR,
    /** Spiking neurons or another activation; usually no tensors. */
    ACTIVATION,
    /** Pooling; no tensors. */
    POOLING
}
