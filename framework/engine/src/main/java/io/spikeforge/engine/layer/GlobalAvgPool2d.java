package io.spikeforge.engine.layer;

import io.spikeforge.engine.tensor.BufferCache;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Global average pooling {@code [N, C, H, W] -> [N, C]} (or {@code [N, H, W, C] -> [N, C]}, see
 * {@link ActivationLayout}): the mean of each feature map. Keeps only the input shape for the
 * backward pass.
 */
public final class GlobalAvgPool2d implements Layer {
    private static final String NAME = "GlobalAvgPool2d";
    private final DataType dataType;
    private final ActivationLayout layout;
    private final int[] spatialAxes;
    /** The axes of the input gradient that the {@code [N, C]} output gradient spans. */
    private final int[] batchAndChannelAxes;
    private final BufferCache buffers = new BufferCache();
    private long[] savedInputShape;

    /** @param dataType float for training, double for gradient checks */
    public GlobalAvgPool2d(DataType dataType) {
        this(dataType, ActivationLayout.NCHW);
    }

    /**
     * @param dataType float for training, double for gradient checks
     * @param layout the layout of the input maps
     */
    public GlobalAvgPool2d(DataType dataType, ActivationLayout layout) {
        this.dataType = dataType;
        this.layout = Objects.requireNonNull(layout, "layout");
        this.spatialAxes = layout.spatialAxes();
        this.batchAndChannelAxes = new int[] {0, layout.channelAxis()};
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Checks.requireInput(NAME, input, dataType, 4);
        INDArray output = buffers.get("output", dataType, input.size(0), input.size(layout.channelAxis()));
        input.mean(output, spatialAxes);
        savedInputShape = training ? input.shape().clone() : null;
        return output;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.requireForwardState(NAME, savedInputShape != null);
        Checks.requireShape(NAME, "gradOutput", gradOutput, savedInputShape[0], savedInputShape[layout.channelAxis()]);
        INDArray scaled = buffers.get("scaledGradOutput", dataType, gradOutput.shape());
        gradOutput.mul(1.0 / (savedInputShape[spatialAxes[0]] * savedInputShape[spatialAxes[1]]), scaled);
        INDArray gradInput = buffers.get("gradInput", dataType, savedInputShape);
        // every position of a map receives the map's gradient divided by its area
        Nd4j.exec(new BroadcastCopyOp(gradInput, scaled, gradInput, batchAndChannelAxes));
        return gradInput;
    }
}
