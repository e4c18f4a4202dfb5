/**
 * Spiking neuron models and the surrogate functions that give the spike its derivative.
 *
 * <p>Tensors are time-major: an input current for T time-steps and batch B has shape
 * {@code [T*B, ...]}, rows {@code t*B .. t*B+B-1} holding time-step {@code t}.
 *
 * <p>A surrogate is written once, as a scalar function: {@link io.spikeforge.api.neuron.SurrogateFunctionBase}
 * derives the array and chunk forms from it, and {@link io.spikeforge.api.neuron.AlphaSurrogateProvider}
 * makes a surrogate with one parameter {@code alpha} a single class.
 */
package io.spikeforge.api.neuron;
