package io.spikeforge.api.activation;

import io.spikeforge.api.component.ComponentProvider;
import io.spikeforge.api.component.ResolvedParameters;

/**
 * Extension point: builds the {@link AnnActivation} of one ANN layer. Called once per activation
 * layer, so each layer gets its own state and its own trainable tensors.
 */
public interface AnnActivationProvider extends ComponentProvider {
    /**
     * @param parameters validated parameters
     * @param channels the channels of the activations this layer takes (dimension 1), for
     *     activations with a tensor per channel
     */
    AnnActivation create(ResolvedParameters parameters, int channels);
}
