package io.spikeforge.engine.data;

/** Where a data set's files come from. */
public enum DatasetKind {
    /** The real CIFAR-10, binary version ({@code cifar-10-batches-bin}). */
    CIFAR10,
    /** The real CIFAR-100, binary version ({@code cifar-100-binary}). */
    CIFAR100,
    /** A set written by {@link SyntheticImageSets}, in the CIFAR-10 or CIFAR-100 layout as its metadata says. */
    SYNTHETIC
}
