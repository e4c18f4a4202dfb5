package io.spikeforge.engine.model;

import io.spikeforge.api.neuron.NeuronModel;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Makes the neurons of one spiking layer. A model calls it once per spiking layer, in forward
 * order, and keeps what it returns: every call must return a new instance, since neuron models
 * are stateful and may own parameters. Typically
 * {@code (name, type) -> provider.create(parameters, surrogate, type)}.
 */
@FunctionalInterface
public interface NeuronFactory {
    /**
     * @param layerName the spiking layer's full name, such as {@code layer1.0.sn2} (see
     *     {@link ResNet#firingRates()} for the names)
     * @param dataType the model's data type, which the neurons' parameters must have
     * @return a new neuron model for that layer
     */
    NeuronModel create(String layerName, DataType dataType);

    /**
     * What the neurons of a layer keep from a training forward to its backward, in bytes per element
     * of their current ({@link NeuronModel#trainingBytesPerElement}), for memory estimates. The
     * default asks a neuron made for the purpose, under the name {@link #MEMORY_PROBE}.
     */
    default double trainingBytesPerElement(DataType dataType) {
        return create(MEMORY_PROBE, dataType).trainingBytesPerElement(dataType);
    }

    /**
     * Whether the neurons of a layer take a BN layer's per-channel affine map with their current
     * ({@link NeuronModel#acceptsChannelAffine}), for memory estimates (the BN layers before them then
     * keep no output). The default asks a neuron made for the purpose, under the name
     * {@link #MEMORY_PROBE}.
     */
    default boolean acceptsChannelAffine(DataType dataType) {
        return create(MEMORY_PROBE, dataType).acceptsChannelAffine(dataType);
    }

    /** The layer name of the neuron {@link #trainingBytesPerElement} and {@link #acceptsChannelAffine} make. */
    String MEMORY_PROBE = "memory-estimate";
}
