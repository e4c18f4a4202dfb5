package io.spikeforge.engine.layer;

import io.spikeforge.api.activation.AnnActivation;
import io.spikeforge.api.model.Parameter;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An ANN activation made by a plugin ({@link AnnActivation}) as a layer: its trainable tensors are
 * the layer's parameters, so they join the model's parameters, state dict and checkpoints, and the
 * optimizer trains them like any weight (weight decay and momentum included).
 *
 * <p>The activation's parameters are read once, here: the model and the optimizer keep those
 * {@link Parameter} objects, so an activation must return the same ones on every call.
 */
public final class PluginActivation implements Layer {
    private final AnnActivation activation;
    private final DataType dataType;
    private final List<Parameter> parameters;
    private boolean trained;

    /**
     * @param activation this layer's own instance (activations are stateful)
     * @param dataType the layer's data type; inputs and the activation's parameters must have it
     * @throws IllegalArgumentException when a parameter has another data type, or a name that is
     *     empty, repeated or has a dot (it is the last part of a state-dict name)
     */
    public PluginActivation(AnnActivation activation, DataType dataType) {
        this.activation = Objects.requireNonNull(activation, "activation");
        this.dataType = Objects.requireNonNull(dataType, "dataType");
        this.parameters = OwnedParameters.checked(name(), activation.parameters(), dataType);
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Checks.requireDataType(name(), input, dataType);
        INDArray output = activation.forward(input, training);
        trained = training;
        return output;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.requireForwardState(name(), trained);
        return activation.backward(gradOutput);
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    /** The plugin's activation. */
    public AnnActivation activation() {
        return activation;
    }

    private String name() {
        return activation.getClass().getSimpleName();
    }
}
