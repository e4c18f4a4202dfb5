/**
 * Training machinery independent of any model: the optimizer and learning-rate schedules, with
 * PyTorch's semantics so that runs compare one to one with the reference implementations.
 */
package io.spikeforge.engine.train;
