/**
 * The LIF family of neurons: leaky integrate-and-fire ({@code lif}) and integrate-and-fire
 * ({@code if}), sharing one implementation of the membrane dynamics and its back-propagation through
 * time (the API's fused float kernel and ND4J ops); and the neurons written by their charge step on
 * {@link io.spikeforge.api.neuron.BaseNeuron}, with the same charge in chunk form for the fused
 * kernel ({@code LinearChunkCharge}): the parametric LIF ({@code plif},
 * trainable time constant), a LIF with a trainable threshold ({@code lif-trainable-threshold}) and
 * the adaptive-threshold LIF ({@code alif}).
 *
 * <p>{@code lif}'s defaults reproduce the IDSNN reference neuron exactly; its parameters also cover
 * SpikingJelly's {@code LIFNode}. {@code if} is the neuron of ANN-to-SNN conversion (no leak, soft
 * reset, configurable initial membrane potential). The others follow SpikingJelly's update rules and
 * defaults.
 */
package io.spikeforge.plugins.lif;
