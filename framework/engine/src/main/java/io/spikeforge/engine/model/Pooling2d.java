package io.spikeforge.engine.model;

import io.spikeforge.api.config.YamlChoice;
import io.spikeforge.engine.layer.ActivationLayout;
import io.spikeforge.engine.layer.Layer;
import io.spikeforge.engine.tensor.BufferCache;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 2x2 pooling with stride 2, {@code [N, C, H, W] -> [N, C, ceil(H/2), ceil(W/2)]} (the same maps in
 * NHWC, see {@link ActivationLayout}): the maximum or the
 * mean of each window. On even sizes (CIFAR's 32, 16, ...) it equals PyTorch's {@code MaxPool2d(2, 2)}
 * and {@code AvgPool2d(2, 2)}; an odd size keeps its last row or column as a window of its own (the
 * mean over the values present), as PyTorch's {@code ceil_mode=True} does, so that 28-pixel images
 * still reach 1x1 after five poolings. Keeps a reference to the input for the backward pass.
 */
public final class Pooling2d implements Layer {
    /** What a window is reduced to. */
    public enum Mode implements YamlChoice {
        /** The largest value; the gradient goes to it. */
        MAX,
        /** The mean; the gradient is shared equally by the window. */
        AVERAGE;

        /** Its word in experiment files: {@code max}, {@code average}. */
        @Override
        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final int WINDOW = 2;

    private final Mode mode;
    private final DataType dataType;
    private final ActivationLayout layout;
    private final BufferCache buffers = new BufferCache();
    private INDArray savedInput;
    private long[] lastOutputShape;

    /**
     * @param mode max or average pooling
     * @param dataType float for training, double for gradient checks
     */
    public Pooling2d(Mode mode, DataType dataType) {
        this(mode, dataType, ActivationLayout.NCHW);
    }

    /**
     * @param mode max or average pooling
     * @param dataType float for training, double for gradient checks
     * @param layout the layout of input and output; libnd4j's pooling reads either in place
     */
    public Pooling2d(Mode mode, DataType dataType, ActivationLayout layout) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.dataType = Objects.requireNonNull(dataType, "dataType");
        this.layout = Objects.requireNonNull(layout, "layout");
    }

    /** Max or average pooling. */
    public Mode mode() {
        return mode;
    }

    /** The size of a side after pooling. */
    public static long outputSize(long size) {
        return (size + WINDOW - 1) / WINDOW;
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        if (input.dataType() != dataType || input.rank() != 4) {
            throw new IllegalArgumentException(name() + " expects a rank-4 " + dataType + " input but got "
                    + input.dataType() + " " + Arrays.toString(input.shape()));
        }
        INDArray output = buffers.get("output", dataType, layout.shape(input.size(0), input.size(layout.channelAxis()),
                outputSize(input.size(layout.heightAxis())), outputSize(input.size(layout.widthAxis()))));
        Nd4j.exec(DynamicCustomOp.builder(mode == Mode.MAX ? "maxpool2d" : "avgpool2d")
                .addInputs(input)
                .addOutputs(output)
                .addIntegerArguments(arguments())
                .build());
        savedInput = training ? input : null;
        lastOutputShape = output.shape();
        return output;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (savedInput == null) {
            throw new IllegalStateException(name() + ".backward needs a training-mode forward first");
        }
        if (!Arrays.equals(gradOutput.shape(), lastOutputShape)) {
            throw new IllegalArgumentException(name() + ": gradOutput has shape " + Arrays.toString(gradOutput.shape())
                    + ", expected " + Arrays.toString(lastOutputShape));
        }
        INDArray gradInput = buffers.get("gradInput", dataType, savedInput.shape());
        Nd4j.exec(DynamicCustomOp.builder(mode == Mode.MAX ? "maxpool2d_bp" : "avgpool2d_bp")
                .addInputs(savedInput, gradOutput)
                .addOutputs(gradInput)
                .addIntegerArguments(arguments())
                .build());
        return gradInput;
    }

    /**
     * libnd4j's pooling arguments: kernel, stride, no explicit padding, no dilation, "same" mode (the
     * last window of an odd side is cut at the border), the average over the values present (0), the
     * layout (arg 10).
     */
    private int[] arguments() {
        return new int[] {WINDOW, WINDOW, WINDOW, WINDOW, 0, 0, 1, 1, 1, 0, layout.libnd4jDataFormat()};
    }

    private String name() {
        return mode == Mode.MAX ? "MaxPool2d" : "AvgPool2d";
    }
}
