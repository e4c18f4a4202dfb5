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
     * The neurons of one layer of a model that works in {@code dataType} (FLOAT in training, DOUBLE in
     * gradient checks): neurons with {@linkplain NeuronModel#parameters() trainable parameters}
     * allocate them in that type; neurons without any may ignore it, since their data type follows
     * their input's. The engine calls this form.
     *
     * @param parameters validated parameters
     * @param surrogate the spike's derivative for the backward pass
     * @param dataType the model's data type
     */
    NeuronModel create(ResolvedParameters parameters, SurrogateFunction surrogate, DataType dataType);

    /** The neurons of one layer of a FLOAT model, training's type: {@link #create(ResolvedParameters, SurrogateFunction, DataType)}. */
    default NeuronModel create(ResolvedParameters parameters, SurrogateFunction surrogate) {
        return create(parameters, surrogate, DataType.FLOAT);
    }
}
