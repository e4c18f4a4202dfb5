/**
 * The bundled surrogate gradients, SpikingJelly's catalogue with its parameter names and defaults:
 * {@code rectangular} (the IDSNN box, with a branch-free chunk form for the fused neuron kernels),
 * {@code sigmoid}, {@code atan}, {@code triangle}, {@code erf} and {@code fast-sigmoid}. All but the
 * first are {@link io.spikeforge.api.neuron.AlphaSurrogateProvider}s: one formula each, from which
 * the array and chunk forms are derived.
 */
package io.spikeforge.plugins.surrogates;
