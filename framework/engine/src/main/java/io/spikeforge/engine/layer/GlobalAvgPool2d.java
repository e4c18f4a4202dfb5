package io.spikeforge.engine.layer;

import io.spikeforge.engine.tensor.BufferCache;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Global average pooling {@code [N, C, H, W] -> [N, C]}: the mean of each feature map. Keeps only
 * the input shape for the backward pass.
 */
public final class GlobalAvgPool2d implements Layer {
    private static final String NAME = "GlobalAvgPool2d";
    private static final int[] SPATIAL_AXES = {2, 3};
    private static final int[] BATCH_AND_CHANNEL_AXES = {0, 1};

    private final DataType dataType;
    private final BufferCache buffers = new BufferCache();
    private long[] savedInputShape;

    /** @param dataType float for training, double for gradient checks */
    public GlobalAvgPool2d(DataType dataType) {
        this.dataType = dataType;
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Checks.requireInput(NAME, input, dataType, 4);
        INDArray output = buffers.get("output", dataType, input.size(0), input.size(1));
        input.mean(output, SPATIAL_AXES);
        savedInputShape = training ? input.shape().clone() : null;
        return output;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.requireForwardState(NAME, savedInputShape != null);
        Checks.requireShape(NAME, "gradOutput", gradOutput, savedInputShape[0], savedInputShape[1]);
        INDArray scaled = buffers.get("scaledGradOutput", dataType, gradOutput.shape());
        gradOutput.mul(1.0 / (savedInputShape[2] * savedInputShape[3]), scaled);
        INDArray gradInput = buffers.get("gradInput", dataType, savedInputShape);
        // every position of a map receives the map's gradient divided by its area
        Nd4j.exec(new BroadcastCopyOp(gradInput, scaled, gradInput, BATCH_AND_CHANNEL_AXES));
        return gradInput;
    }
}
