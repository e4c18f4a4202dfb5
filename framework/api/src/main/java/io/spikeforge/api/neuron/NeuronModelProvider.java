package io.spikeforge.api.neuron;

import io.spikeforge.api.component.ComponentProvider;
import io.spikeforge.api.component.ResolvedParameters;
import org.nd4j.linalg.api.buffer.DataType;

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

    /**
     * The neurons of one layer of a model that works in {@code dataType} (FLOAT in training, DOUBLE in
     * gradient checks): neurons with {@linkplain NeuronModel#parameters() trainable parameters}
     * allocate them in that type. The engine calls this form; the default, for neurons without
     * parameters, is {@link #create(ResolvedParameters, SurrogateFunction)}, whose neurons follow the
     * type of their input.
     */
    default NeuronModel create(ResolvedParameters parameters, SurrogateFunction surrogate, DataType dataType) {
        return create(parameters, surrogate);
    }
}
