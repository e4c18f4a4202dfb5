/**
 * Spiking neuron models and the surrogate functions that give the spike its derivative.
 *
 * <p>Tensors are time-major: an input current for T time-steps and batch B has shape
 * {@code [T*B, ...]}, rows {@code t*B .. t*B+B-1} holding time-step {@code t}.
 *
 * <p>A surrogate is written once, as a scalar function: {@link io.spikeforge.api.neuron.SurrogateFunctionBase}
 * derives the array and chunk forms from it, and {@link io.spikeforge.api.neuron.AlphaSurrogateProvider}
 * makes a surrogate with one parameter {@code alpha} a single class.
 *
 * <p>A neuron is written by its charge step on {@link io.spikeforge.api.neuron.BaseNeuron}, which
 * fires, resets and back-propagates through time; given the charge step in chunk form as well
 * ({@link io.spikeforge.api.neuron.ChunkCharge}), FLOAT training runs in the fused, parallel
 * {@link io.spikeforge.api.neuron.FloatChunkKernel}, which the bundled {@code lif} and {@code if}
 * neurons use too.
 *
 * <p>For inference a neuron may run one time-step at a time
 * ({@link io.spikeforge.api.neuron.NeuronModel#startSteps()}, {@link io.spikeforge.api.neuron.NeuronSteps}),
 * keeping only its state between steps; {@code BaseNeuron} has this mode for every neuron written on it,
 * with the spikes written into the caller's buffer (even over the current) and the state kept from
 * one pass to the next ({@link io.spikeforge.api.neuron.NeuronSteps#restart()}).
 */
package io.spikeforge.api.neuron;
