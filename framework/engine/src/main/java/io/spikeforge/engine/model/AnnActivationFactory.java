package io.spikeforge.engine.model;

import io.spikeforge.api.activation.AnnActivation;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Makes the activation of one ANN layer, in place of the built-in ReLU ({@link ModelSettings#optActivation}).
 * A model calls it once per activation layer, in forward order, and keeps what it returns: every
 * call must return a new instance, since activations are stateful and own their parameters.
 * Typically {@code (name, channels, type) -> provider.create(parameters, channels, type)}.
 */
@FunctionalInterface
public interface AnnActivationFactory {
    /**
     * @param layerName the activation layer's full name, such as {@code layer1.0.act2} (see
     *     {@link ResNet} and {@link Vgg} for the names)
     * @param channels the channels of its input (dimension 1)
     * @param dataType the model's data type, which the activation's parameters must have
     * @return a new activation for that layer
     */
    AnnActivation create(String layerName, int channels, DataType dataType);
}
