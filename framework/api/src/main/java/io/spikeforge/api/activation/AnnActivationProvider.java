package io.spikeforge.api.activation;

import io.spikeforge.api.component.ComponentProvider;
import io.spikeforge.api.component.ResolvedParameters;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Extension point: builds the {@link AnnActivation} of one ANN layer. Called once per activation
 * layer, so each layer gets its own state and its own trainable tensors.
 */
public interface AnnActivationProvider extends ComponentProvider {
    /**
     * @param parameters validated parameters
     * @param channels the channels of the activations this layer takes (dimension 1), for
     *     activations with a tensor per channel
     * @param dataType the layer's data type (FLOAT in training, DOUBLE in gradient checks): the
     *     activation's parameters have it, and so do the inputs it will be given
     */
    AnnActivation create(ResolvedParameters parameters, int channels, DataType dataType);
}
