package io.spikeforge.engine.model;

import io.spikeforge.api.neuron.NeuronModel;

/**
 * Makes the neurons of one spiking layer. A model calls it once per spiking layer, in forward
 * order, and keeps what it returns: every call must return a new instance, since neuron models
 * are stateful. Typically {@code name -> provider.create(parameters, surrogate)}.
 */
@FunctionalInterface
public interface NeuronFactory {
    /**
     * @param layerName the spiking layer's full name, such as {@code layer1.0.sn2} (see
     *     {@link ResNet#firingRates()} for the names)
     * @return a new neuron model for that layer
     */
    NeuronModel create(String layerName);
}
