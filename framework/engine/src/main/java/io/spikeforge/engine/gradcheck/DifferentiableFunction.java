package io.spikeforge.engine.gradcheck;

import io.spikeforge.engine.layer.Layer;
import io.spikeforge.api.model.Parameter;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Anything with a forward pass over one or more inputs and an analytic backward pass: a layer, a
 * residual addition, a loss. What {@link GradientCheck} checks.
 */
public interface DifferentiableFunction {
    /** Computes the output from the inputs (in training mode, where that matters). */
    INDArray forward(List<INDArray> inputs);

    /**
     * Back-propagates through the last forward.
     *
     * @param gradOutput dL/doutput
     * @return dL/dinput for each input, in order; parameter gradients are accumulated into
     *     {@link Parameter#gradient()}
     */
    List<INDArray> backward(INDArray gradOutput);

    /** The parameters whose gradients are checked too. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** A single-input layer in training mode. */
    static DifferentiableFunction of(Layer layer) {
        Objects.requireNonNull(layer, "layer");
        return new DifferentiableFunction() {
            @Override
            public INDArray forward(List<INDArray> inputs) {
                return layer.forward(inputs.get(0), true);
            }

            @Override
            public List<INDArray> backward(INDArray gradOutput) {
                return List.of(layer.backward(gradOutput));
            }

            @Override
            public List<Parameter> parameters() {
                return layer.parameters();
            }
        };
    }
}
