/**
 * Image data: the registry of data sets ({@link io.spikeforge.engine.data.DatasetKind}: what each
 * is, its shape, classes, statistics and default folder), readers for the CIFAR-10 and CIFAR-100
 * binary formats and the IDX files of the MNIST family, a synthetic image-set generator writing the
 * CIFAR formats, augmentation and normalization, and a background data loader.
 *
 * <p>Images stay compact in memory ({@link io.spikeforge.engine.data.ImageSet}: one byte per
 * pixel and channel) and become float batches only when a batch is assembled. Every random choice
 * (epoch order, crop offsets, flips, generated content) derives from a seed and the item it
 * concerns, never from a shared generator, so results do not depend on thread timing or on
 * earlier epochs.
 */
package io.spikeforge.engine.data;
