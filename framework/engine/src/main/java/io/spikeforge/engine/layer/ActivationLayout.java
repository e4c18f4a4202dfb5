package io.spikeforge.engine.layer;

/**
 * How a rank-4 batch of feature maps is laid out in memory between the layers of a model: the
 * logical shape is always batch, channels, height and width; the layout says which order of those
 * axes the array has. Set once per model ({@code ModelSettings.optLayout}) and handed to every
 * layer that cares (convolution, batch norm, pooling); element-wise layers (neurons, ReLU, the
 * residual addition, the repeat over time) work on flat views and do not care. Weights are
 * {@code [out, in, kH, kW]} in either layout, so state dicts and checkpoints do not depend on it.
 *
 * <p>Why two: libnd4j's oneDNN convolution computes in NHWC; handed NCHW activations it reorders
 * the input, the (not yet written) output buffer and the result on every forward call, three
 * activation-sized copies. Activations kept NHWC skip them. Images and the model's input gradient
 * stay NCHW at the model's boundary ({@code Model.forward} permutes them once).
 */
public enum ActivationLayout {
    /** {@code [N, C, H, W]}: PyTorch's layout, the images' layout. */
    NCHW(1, 2, 3, 0),
    /** {@code [N, H, W, C]}: channels innermost, oneDNN's forward convolution layout. */
    NHWC(3, 1, 2, 1);

    private final int channelAxis;
    private final int heightAxis;
    private final int widthAxis;
    private final int libnd4jDataFormat;

    ActivationLayout(int channelAxis, int heightAxis, int widthAxis, int libnd4jDataFormat) {
        this.channelAxis = channelAxis;
        this.heightAxis = heightAxis;
        this.widthAxis = widthAxis;
        this.libnd4jDataFormat = libnd4jDataFormat;
    }

    /** The axis of the channels: 1 or 3. */
    public int channelAxis() {
        return channelAxis;
    }

    /** The axis of the rows: 2 or 1. */
    public int heightAxis() {
        return heightAxis;
    }

    /** The axis of the columns: 3 or 2. */
    public int widthAxis() {
        return widthAxis;
    }

    /** The two spatial axes, for reductions over a map. */
    public int[] spatialAxes() {
        return new int[] {heightAxis, widthAxis};
    }

    /** The array shape of a batch of {@code batch} maps of {@code channels x height x width}. */
    public long[] shape(long batch, long channels, long height, long width) {
        return this == NCHW ? new long[] {batch, channels, height, width}
                : new long[] {batch, height, width, channels};
    }

    /** The logical {@code [N, C, H, W]} of an array shape in this layout. */
    public long[] logicalShape(long[] shape) {
        if (shape.length != 4) {
            throw new IllegalArgumentException("a layout applies to rank-4 shapes, got rank " + shape.length);
        }
        return new long[] {shape[0], shape[channelAxis], shape[heightAxis], shape[widthAxis]};
    }

    /** The axes that {@code permute} takes to turn an NCHW array into this layout. */
    public int[] fromNchw() {
        return this == NCHW ? new int[] {0, 1, 2, 3} : new int[] {0, 2, 3, 1};
    }

    /** The axes that {@code permute} takes to turn an array in this layout into NCHW. */
    public int[] toNchw() {
        return this == NCHW ? new int[] {0, 1, 2, 3} : new int[] {0, 3, 1, 2};
    }

    /** libnd4j's data-format integer argument of conv2d (arg 9) and the pooling ops (arg 10). */
    public int libnd4jDataFormat() {
        return libnd4jDataFormat;
    }
}
