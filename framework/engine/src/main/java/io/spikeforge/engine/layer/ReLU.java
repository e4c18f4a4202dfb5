package io.spikeforge.engine.layer;

import io.spikeforge.engine.tensor.BufferCache;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rectified linear unit {@code max(x, 0)} on input of any shape; the gradient at exactly 0 is 0,
 * as in PyTorch. Training-mode forward keeps a reference to the input.
 */
public final class ReLU implements Layer {
    private static final String NAME = "ReLU";

    private final DataType dataType;
    private final BufferCache buffers = new BufferCache();
    private INDArray savedInput;

    /** @param dataType float for training, double for gradient checks */
    public ReLU(DataType dataType) {
        this.dataType = dataType;
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Checks.requireDataType(NAME, input, dataType);
        INDArray output = buffers.get("output", dataType, input.shape());
        Nd4j.exec(new RectifiedLinear(input, output, 0.0));
        savedInput = training ? input : null;
        return output;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.requireForwardState(NAME, savedInput != null);
        Checks.requireShape(NAME, "gradOutput", gradOutput, savedInput.shape());
        INDArray gradInput = buffers.get("gradInput", dataType, savedInput.shape());
        Nd4j.exec(DynamicCustomOp.builder("relu_bp")
                .addInputs(savedInput, gradOutput)
                .addOutputs(gradInput)
                .addFloatingPointArguments(0.0)
                .build());
        return gradInput;
    }
}
