package io.spikeforge.api.neuron;

import io.spikeforge.api.component.ComponentProvider;
import io.spikeforge.api.component.ResolvedParameters;

/**
 * Extension point: builds the {@link NeuronModel} of one layer. Called once per spiking layer, so
 * each layer gets its own state.
 */
public interface NeuronModelProvider extends ComponentProvider {
    /**
     * @param parameters validated parameters
     * @param surrogate the spike's derivative for the backward pass
     */
    NeuronModel create(ResolvedParameters parameters, SurrogateFunction surrogate);
}
