package io.spikeforge.engine.layer;

import io.spikeforge.engine.tensor.BufferCache;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mean over the T time-steps of a time-major readout: {@code [T*B, ...] -> [B, ...]}, where rows
 * {@code t*B .. t*B+B-1} of the input are time-step t. Used to read out a spiking network, for
 * example {@code [T*B, K] -> [B, K]} after the classifier, or {@code [T*B, C] -> [B, C]} after
 * pooling. Keeps only the input shape for the backward pass.
 */
public final class TimeMean implements Layer {
    private static final String NAME = "TimeMean";
    private static final int TIME_AXIS = 0;
    private static final int VALUES_AXIS = 1;

    private final int timeSteps;
    private final DataType dataType;
    private final BufferCache buffers = new BufferCache();
    private long[] savedInputShape;

    /**
     * @param timeSteps T; the input's first dimension must be a multiple of it
     * @param dataType float for training, double for gradient checks
     */
    public TimeMean(int timeSteps, DataType dataType) {
        Checks.requirePositive("timeSteps", timeSteps);
        this.timeSteps = timeSteps;
        this.dataType = dataType;
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Checks.requireDataType(NAME, input, dataType);
        if (input.rank() < 2 || input.size(0) % timeSteps != 0) {
            throw new IllegalArgumentException(NAME + " expects [T*B, ...] with T=" + timeSteps + " but got "
                    + Arrays.toString(input.shape()));
        }
        long[] outputShape = input.shape().clone();
        outputShape[0] = input.size(0) / timeSteps;
        long valuesPerStep = input.length() / timeSteps;
        INDArray output = buffers.get("output", dataType, outputShape);
        // [T*B, ...] viewed as [T, B*...]: one row per time-step. The shapes are passed as long[]
        // because reshape('c', int, long) would resolve to reshape(long...), reading 'c' as a size.
        input.reshape('c', new long[] {timeSteps, valuesPerStep})
                .mean(output.reshape('c', new long[] {valuesPerStep}), TIME_AXIS);
        savedInputShape = training ? input.shape().clone() : null;
        return output;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.requireForwardState(NAME, savedInputShape != null);
        long[] outputShape = savedInputShape.clone();
        outputShape[0] = savedInputShape[0] / timeSteps;
        Checks.requireShape(NAME, "gradOutput", gradOutput, outputShape);
        long valuesPerStep = gradOutput.length();
        INDArray scaled = buffers.get("scaledGradOutput", dataType, valuesPerStep);
        gradOutput.reshape('c', new long[] {valuesPerStep}).mul(1.0 / timeSteps, scaled);
        INDArray gradInput = buffers.get("gradInput", dataType, savedInputShape);
        INDArray perStep = gradInput.reshape('c', new long[] {timeSteps, valuesPerStep});
        Nd4j.exec(new BroadcastCopyOp(perStep, scaled, perStep, VALUES_AXIS));
        return gradInput;
    }

    public int timeSteps() {
        return timeSteps;
    }
}
