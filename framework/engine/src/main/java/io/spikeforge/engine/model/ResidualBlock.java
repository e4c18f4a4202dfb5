package io.spikeforge.engine.model;

import io.spikeforge.api.model.Block;
import io.spikeforge.api.model.LayerInfo;
import io.spikeforge.api.model.LayerKind;
import io.spikeforge.engine.layer.BatchNorm2d;
import io.spikeforge.engine.layer.Conv2d;
import io.spikeforge.engine.layer.Layer;
import io.spikeforge.engine.layer.ResidualAdd;
import io.spikeforge.engine.tensor.BufferCache;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A basic residual block (two 3x3 convolutions) with an identity or projection shortcut; see
 * {@link BlockType} for where the activations sit. Layer names follow torchvision ({@code conv1},
 * {@code bn1}, {@code conv2}, {@code bn2}, {@code downsample.0|1}) and SpikingJelly for neurons
 * ({@code sn1}, {@code sn2}, {@code downsample_sn}).
 *
 * <p>Gradients go through the model's shared gradient pool (see {@link Conv2d#useGradientPool}),
 * with four roles. In backward order: the block's incoming gradient (the next block's
 * {@link #BLOCK_GRADIENT}, or the pooling layer's) is read by the last activation or the addition;
 * {@code bn2}, {@code bn1} and {@code downsample.1} write {@link #BATCH_NORM_GRADIENT}, each
 * read by the convolution before it before the next BN writes; {@code conv2} and {@code conv1}
 * write {@link #CONVOLUTION_GRADIENT}, read by the activation before {@code conv2}, while the
 * result of {@code conv1} stays in use until the end of the block; so {@code downsample.0} writes
 * {@link #SHORTCUT_GRADIENT}. The block's result is the sum of the two paths in
 * {@link #BLOCK_GRADIENT}, which may be the incoming gradient's own buffer (identity shortcut of
 * a SEW block, where the sum reads it element by element). Activations and the addition keep
 * their own buffers.
 */
final class ResidualBlock {
    /** Pool role of the BN layers' input gradients (the stem's BN too). */
    static final String BATCH_NORM_GRADIENT = "batchNorm";
    /** Pool role of the main path's convolutions' input gradients. */
    static final String CONVOLUTION_GRADIENT = "convolution";
    /** Pool role of the projection shortcut's convolution's input gradient. */
    static final String SHORTCUT_GRADIENT = "shortcutConvolution";
    /** Pool role of the block's input gradient. */
    static final String BLOCK_GRADIENT = "block";

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Layer activation1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    /** SEW: the neurons that end the main path before the addition; else null. */
    private final Layer mainActivation;
    private final Conv2d downsampleConvolution;
    private final BatchNorm2d downsampleBatchNorm;
    /** SEW with a projection shortcut: the shortcut's neurons; else null. */
    private final Layer downsampleActivation;
    private final ResidualAdd addition;
    /** Basic block: the activation after the addition; null for SEW. */
    private final Layer outputActivation;
    private final BufferCache gradientPool;
    private final Block structure;

    /**
     * Makes the block's layers through {@code maker}, which records them in state-dict order.
     *
     * @param name such as {@code layer2.0}
     * @param in input channels
     * @param out output channels
     * @param stride stride of the first convolution and of the projection
     * @param type where the activations sit
     * @param maker the model's layer maker
     */
    ResidualBlock(String name, int in, int out, int stride, BlockType type, LayerMaker maker) {
        boolean spiking = maker.spiking();
        boolean sew = type == BlockType.SEW_ADD;
        String prefix = name + ".";
        String activationName1 = prefix + (spiking ? "sn1" : "relu");
        String activationName2 = prefix + (spiking ? "sn2" : "relu");
        // each activation is made before the BN layers that feed it (whose tdBN weight is its
        // neurons' threshold); the neurons are still made in forward order
        conv1 = maker.convolution(prefix + "conv1", in, out, 3, stride);
        activation1 = maker.activation(activationName1);
        bn1 = maker.batchNorm(prefix + "bn1", out, activation1);
        conv2 = maker.convolution(prefix + "conv2", out, out, 3, 1);
        mainActivation = sew ? maker.activation(activationName2) : null;
        outputActivation = sew ? null : maker.activation(activationName2);
        bn2 = maker.batchNorm(prefix + "bn2", out, sew ? mainActivation : outputActivation);
        boolean projection = stride != 1 || in != out;
        downsampleConvolution = projection ? maker.convolution(prefix + "downsample.0", in, out, 1, stride) : null;
        downsampleActivation = projection && sew ? maker.activation(prefix + "downsample_sn") : null;
        downsampleBatchNorm = projection ? maker.batchNorm(prefix + "downsample.1", out,
                sew ? downsampleActivation : outputActivation) : null;
        addition = new ResidualAdd(maker.dataType());
        gradientPool = maker.gradientPool();
        conv1.useGradientPool(gradientPool, CONVOLUTION_GRADIENT);
        bn1.useGradientPool(gradientPool, BATCH_NORM_GRADIENT);
        conv2.useGradientPool(gradientPool, CONVOLUTION_GRADIENT);
        bn2.useGradientPool(gradientPool, BATCH_NORM_GRADIENT);
        if (projection) {
            downsampleConvolution.useGradientPool(gradientPool, SHORTCUT_GRADIENT);
            downsampleBatchNorm.useGradientPool(gradientPool, BATCH_NORM_GRADIENT);
        }

        List<LayerInfo> main = new ArrayList<>(List.of(
                maker.info(prefix + "conv1", LayerKind.CONVOLUTION),
                maker.info(prefix + "bn1", LayerKind.BATCH_NORM),
                maker.info(activationName1, LayerKind.ACTIVATION),
                maker.info(prefix + "conv2", LayerKind.CONVOLUTION),
                maker.info(prefix + "bn2", LayerKind.BATCH_NORM)));
        // torchvision's block has one relu module, used twice; spiking blocks have two neuron layers
        if (spiking) {
            main.add(maker.info(activationName2, LayerKind.ACTIVATION));
        }
        List<LayerInfo> shortcut = new ArrayList<>();
        if (projection) {
            shortcut.add(maker.info(prefix + "downsample.0", LayerKind.CONVOLUTION));
            shortcut.add(maker.info(prefix + "downsample.1", LayerKind.BATCH_NORM));
            if (sew) {
                shortcut.add(maker.info(prefix + "downsample_sn", LayerKind.ACTIVATION));
            }
        }
        structure = new Block(name, main, shortcut);
    }

    /**
     * @param input {@code [N, in, H, W]}, kept by reference until {@link #backward} in training mode
     * @return {@code [N, out, H / stride, W / stride]}, a buffer of the block's last layer
     */
    INDArray forward(INDArray input, boolean training) {
        INDArray main = conv1.forward(input, training);
        main = bn1.forward(main, training);
        main = activation1.forward(main, training);
        main = conv2.forward(main, training);
        main = bn2.forward(main, training);
        if (mainActivation != null) {
            main = mainActivation.forward(main, training);
        }
        INDArray shortcut = input;
        if (downsampleConvolution != null) {
            shortcut = downsampleConvolution.forward(input, training);
            shortcut = downsampleBatchNorm.forward(shortcut, training);
            if (downsampleActivation != null) {
                shortcut = downsampleActivation.forward(shortcut, training);
            }
        }
        INDArray sum = addition.forward(main, shortcut);
        return outputActivation == null ? sum : outputActivation.forward(sum, training);
    }

    /**
     * @param gradOutput dL/doutput
     * @return dL/dinput, the sum of the main path's and the shortcut's, in the gradient pool
     */
    INDArray backward(INDArray gradOutput) {
        INDArray gradSum = addition.backward(
                outputActivation == null ? gradOutput : outputActivation.backward(gradOutput));
        INDArray gradMain = gradSum;
        if (mainActivation != null) {
            gradMain = mainActivation.backward(gradMain);
        }
        gradMain = bn2.backward(gradMain);
        gradMain = conv2.backward(gradMain);
        gradMain = activation1.backward(gradMain);
        gradMain = bn1.backward(gradMain);
        gradMain = conv1.backward(gradMain);
        INDArray gradShortcut = gradSum;
        if (downsampleConvolution != null) {
            if (downsampleActivation != null) {
                gradShortcut = downsampleActivation.backward(gradShortcut);
            }
            gradShortcut = downsampleBatchNorm.backward(gradShortcut);
            gradShortcut = downsampleConvolution.backward(gradShortcut);
        }
        INDArray gradInput = gradientPool.get(BLOCK_GRADIENT, gradMain.dataType(), gradMain.shape());
        return gradMain.add(gradShortcut, gradInput);
    }

    /** The block as initialization strategies see it. */
    Block structure() {
        return structure;
    }
}
