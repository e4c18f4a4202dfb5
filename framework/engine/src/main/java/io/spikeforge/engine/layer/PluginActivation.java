package io.spikeforge.engine.layer;

import io.spikeforge.api.activation.AnnActivation;
import io.spikeforge.api.model.Parameter;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An ANN activation made by a plugin ({@link AnnActivation}) as a layer: its trainable tensors are
 * the layer's parameters, so they join the model's parameters, state dict and checkpoints.
 */
public final class PluginActivation implements Layer {
    private final AnnActivation activation;
    private final DataType dataType;
    private boolean trained;

    /**
     * @param activation this layer's own instance (activations are stateful)
     * @param dataType the layer's data type; inputs must have it
     */
    public PluginActivation(AnnActivation activation, DataType dataType) {
        this.activation = Objects.requireNonNull(activation, "activation");
        this.dataType = Objects.requireNonNull(dataType, "dataType");
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
        return activation.parameters();
    }

    /** The plugin's activation. */
    public AnnActivation activation() {
        return activation;
    }

    private String name() {
        return activation.getClass().getSimpleName();
    }
}
