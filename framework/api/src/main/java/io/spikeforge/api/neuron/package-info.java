/**
 * Spiking neuron models and the surrogate functions that give the spike its derivative.
 *
 * <p>Tensors are time-major: an input current for T time-steps and batch B has shape
 * {@code [T*B, ...]}, rows {@code t*B .. t*B+B-1} holding time-step {@code t}.
 */
package io.spikeforge.api.neuron;
