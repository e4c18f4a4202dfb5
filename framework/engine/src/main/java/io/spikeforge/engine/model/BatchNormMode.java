package io.spikeforge.engine.model;

/** The batch normalization of a spiking {@link ResNet}; the ANN always uses {@link #BN}. */
public enum BatchNormMode {
    /**
     * tdBN (Zheng et al. 2021): statistics per channel over time, batch, height and width, weight
     * initialized to the threshold of the neurons after the layer (IDSNN's LIF: 0.5), or to a
     * value given to the model.
     */
    TDBN,
    /**
     * Ordinary BN on the merged {@code T*B} batch. The statistics are the same as tdBN's (the time
     * steps are stacked along the batch axis); only the initial weight differs: 1.
     */
    BN
}
