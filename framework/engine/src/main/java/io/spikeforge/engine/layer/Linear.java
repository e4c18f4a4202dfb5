package io.spikeforge.engine.layer;

import io.spikeforge.api.model.Parameter;
import io.spikeforge.engine.energy.OperationCounter;
import io.spikeforge.engine.tensor.BufferCache;
import io.spikeforge.engine.tensor.OutsideWorkspaces;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fully connected layer {@code y = x W^T + b} on {@code [B, in]} batches, like PyTorch's
 * {@code nn.Linear}: weight {@code [out, in]}, bias {@code [out]}, PyTorch's default initialization.
 * Training-mode forward keeps a reference to the input.
 */
public final class Linear implements Layer {
    private static final String NAME = "Linear";

    private final int inFeatures;
    private final int outFeatures;
    private final DataType dataType;
    private final Parameter weight;
    private final Parameter bias;
    private final BufferCache buffers = new BufferCache();
    private INDArray savedInput;
    private OperationCounter operations;

    /**
     * Creates the layer with PyTorch's default initialization.
     *
     * @param inFeatures input features
     * @param outFeatures output features
     * @param withBias whether the layer has a {@code bias} parameter
     * @param dataType float for training, double for gradient checks
     */
    public Linear(int inFeatures, int outFeatures, boolean withBias, DataType dataType) {
        Checks.requirePositive("inFeatures", inFeatures);
        Checks.requirePositive("outFeatures", outFeatures);
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.dataType = dataType;
        INDArray weightValue = OutsideWorkspaces.zeros(dataType, outFeatures, inFeatures);
        Initialization.uniformFanIn(weightValue, inFeatures);
        this.weight = new Parameter("weight", weightValue);
        if (withBias) {
            INDArray biasValue = OutsideWorkspaces.zeros(dataType, outFeatures);
            Initialization.uniformFanIn(biasValue, inFeatures);
            this.bias = new Parameter("bias", biasValue);
        } else {
            this.bias = null;
        }
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Checks.requireInput(NAME, input, dataType, 2);
        if (input.size(1) != inFeatures) {
            throw new IllegalArgumentException(NAME + " expects " + inFeatures + " features but got " + input.size(1));
        }
        INDArray output = buffers.get("output", dataType, input.size(0), outFeatures);
        Nd4j.gemm(input, weight.value(), output, false, true, 1.0, 0.0);
        if (bias != null) {
            output.addiRowVector(bias.value());
        }
        if (!training && operations != null) {
            operations.count(input, (long) inFeatures * outFeatures);
        }
        savedInput = training ? input : null;
        return output;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.requireForwardState(NAME, savedInput != null);
        Checks.requireShape(NAME, "gradOutput", gradOutput, savedInput.size(0), outFeatures);
        INDArray gradInput = buffers.get("gradInput", dataType, savedInput.shape());
        Nd4j.gemm(gradOutput, weight.value(), gradInput, false, false, 1.0, 0.0);
        // beta = 1 adds dL/dW = gradOutput^T x to the accumulated gradient in the same call
        Nd4j.gemm(gradOutput, savedInput, weight.gradient(), true, false, 1.0, 1.0);
        if (bias != null) {
            INDArray gradBias = buffers.get("gradBias", dataType, outFeatures);
            gradOutput.sum(gradBias, 0);
            bias.gradient().addi(gradBias);
        }
        return gradInput;
    }

    /** Counts the operations of this layer's evaluation-mode forward passes into {@code counter}. */
    public void countOperations(OperationCounter counter) {
        this.operations = Objects.requireNonNull(counter, "counter");
    }

    @Override
    public List<Parameter> parameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    /** The weight, {@code [out, in]}. */
    public Parameter weight() {
        return weight;
    }

    /** The bias, {@code [out]}, when the layer has one. */
    public Optional<Parameter> bias() {
        return Optional.ofNullable(bias);
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }
}
