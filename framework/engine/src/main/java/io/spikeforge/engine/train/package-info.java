/**
 * Training machinery independent of any experiment file: the optimizer and learning-rate
 * schedules, with PyTorch's semantics so that runs compare one to one with the reference
 * implementations; the {@link io.spikeforge.engine.train.TrainingLoop} with its evaluation;
 * {@link io.spikeforge.engine.train.TrainingCheckpoint}, the full state a training continues from; and
 * {@link io.spikeforge.engine.train.TrainingListener}, through which progress displays, metric
 * files and experiment trackers follow a training.
 */
package io.spikeforge.engine.train;
