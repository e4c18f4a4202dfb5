/**
 * Leaky integrate-and-fire ({@code lif}) and integrate-and-fire ({@code if}) neurons, sharing one
 * vectorized implementation of the membrane dynamics and its back-propagation through time.
 *
 * <p>{@code lif}'s defaults reproduce the IDSNN reference neuron exactly; its parameters also cover
 * SpikingJelly's {@code LIFNode}. {@code if} is the neuron of ANN-to-SNN conversion (no leak, soft
 * reset, configurable initial membrane potential).
 */
package io.spikeforge.plugins.lif;
