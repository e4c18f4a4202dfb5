/**
 * The activation function of an ANN, as an extension point: ReLU is built into the engine; plugins
 * add activations made for conversion to a spiking network (QCFS), which may own trainable
 * {@link io.spikeforge.api.model.Parameter}s.
 */
package io.spikeforge.api.activation;
