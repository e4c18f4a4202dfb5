package io.spikeforge.engine.convert;

import io.spikeforge.engine.layer.BatchNorm2d;
import io.spikeforge.engine.layer.Conv2d;
import io.spikeforge.engine.layer.GlobalAvgPool2d;
import io.spikeforge.engine.layer.Layer;
import io.spikeforge.engine.layer.Linear;
import io.spikeforge.engine.layer.PluginActivation;
import io.spikeforge.engine.layer.ReLU;
import io.spikeforge.engine.model.ComposedModel;
import io.spikeforge.engine.model.Pooling2d;
import io.spikeforge.engine.model.Residual;
import io.spikeforge.engine.model.Sequential;
import io.spikeforge.engine.tensor.BufferCache;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Walks an ANN's composition into the layer graph of its conversion: BatchNorm folded into the
 * convolution before it, activations as sites, average pooling kept, max pooling refused.
 *
 * <p>Folding, per output channel o, with BN weight gamma, bias beta, running mean mu and variance
 * var: {@code s = gamma / sqrt(var + eps)}, {@code W'[o] = s * W[o]}, {@code b'[o] = s * (b[o] - mu) + beta}
 * (b = 0 without a convolution bias); computed in double, stored in the model's data type.
 *
 * <p>The graph's layers are made NCHW whatever the ANN's {@link
 * io.spikeforge.engine.layer.ActivationLayout} (its weights are {@code [out, in, kH, kW]} in either),
 * so the calibration, the per-channel thresholds and the stepping {@link IfNeurons} find the
 * channels in dimension 1.
 *
 * <p>Sites are named after the activation; ResNet's {@code relu} modules, one per block in
 * torchvision, become SpikingJelly's {@code sn1} (stem, and after {@code bn1}) and {@code sn2}
 * (after the addition).
 */
final class Folding {
    private final DataType dataType;
    private boolean encodingDone;
    private int channels;

    private Folding(DataType dataType, int inputChannels) {
        this.dataType = dataType;
        this.channels = inputChannels;
    }

    /** The folded graph of an ANN, in forward order. */
    static List<Node> fold(ComposedModel model) {
        Folding folding = new Folding(model.dataType(), model.inputChannels());
        List<Node> nodes = new ArrayList<>();
        for (Sequential part : model.parts()) {
            folding.sequence(part, nodes, new int[] {0});
        }
        return nodes;
    }

    /**
     * @param activations the activations met so far in the current scope (the stem, a block), for
     *     SpikingJelly's names
     */
    private void sequence(Sequential sequence, List<Node> into, int[] activations) {
        List<Layer> children = sequence.children();
        List<String> names = sequence.childNames();
        for (int i = 0; i < children.size(); i++) {
            Layer layer = children.get(i);
            String name = names.get(i);
            if (layer instanceof Residual block) {
                into.add(block(block));
            } else if (layer instanceof Sequential inner) {
                sequence(inner, into, activations);
            } else if (layer instanceof Conv2d conv) {
                BatchNorm2d batchNorm = i + 1 < children.size() && children.get(i + 1) instanceof BatchNorm2d bn
                        ? bn : null;
                into.add(new Node.Weighted(name, fold(conv, batchNorm, name), !encodingDone));
                encodingDone = true;
                channels = conv.outChannels();
                if (batchNorm != null) {
                    i++;
                }
            } else if (layer instanceof Linear linear) {
                Linear copy = new Linear(linear.inFeatures(), linear.outFeatures(), linear.bias().isPresent(), dataType);
                copy.weight().value().assign(linear.weight().value());
                linear.bias().ifPresent(b -> copy.bias().orElseThrow().value().assign(b.value()));
                into.add(new Node.Weighted(name, copy, !encodingDone));
                encodingDone = true;
                channels = linear.outFeatures();
            } else if (layer instanceof ReLU) {
                into.add(site(name, new ReLU(dataType), activations));
            } else if (layer instanceof PluginActivation) {
                into.add(site(name, layer, activations));
            } else if (layer instanceof Pooling2d pooling) {
                if (pooling.mode() != Pooling2d.Mode.AVERAGE) {
                    throw new IllegalArgumentException(name + ": max pooling cannot be converted (the maximum of"
                            + " spike trains is not the spike train of the maximum); convert a VGG built with average"
                            + " pooling (pooling: average)");
                }
                into.add(new Node.Pool(name, new Pooling2d(Pooling2d.Mode.AVERAGE, dataType)));
            } else if (layer instanceof GlobalAvgPool2d) {
                into.add(new Node.GlobalPool(name, new GlobalAvgPool2d(dataType)));
            } else if (layer instanceof BatchNorm2d) {
                throw new IllegalArgumentException(name + ": a BatchNorm layer can only be folded into a convolution"
                        + " right before it");
            } else {
                throw new IllegalArgumentException(name + ": " + layer.getClass().getSimpleName()
                        + " cannot be converted (convolutions, BatchNorm, ReLU or plugin activations, average"
                        + " pooling and linear layers can)");
            }
        }
    }

    private Node.Block block(Residual block) {
        int in = channels;
        List<Node> main = new ArrayList<>();
        int[] activations = {0};
        sequence(block.main(), main, activations);
        int out = channels;
        List<Node> shortcut = new ArrayList<>();
        channels = in;
        sequence(block.shortcut(), shortcut, new int[] {0});
        if (channels != out) {
            throw new IllegalArgumentException(block.name() + ": the shortcut gives " + channels
                    + " channels but the main path " + out);
        }
        Layer after = block.after().orElseThrow(() -> new IllegalArgumentException(block.name()
                + ": a block without an activation after the addition cannot be converted"));
        if (!(after instanceof ReLU || after instanceof PluginActivation)) {
            throw new IllegalArgumentException(block.afterName().orElse(block.name()) + ": "
                    + after.getClass().getSimpleName() + " after the addition cannot be converted");
        }
        Node.Site afterSite = site(block.afterName().orElseThrow(), after instanceof ReLU ? new ReLU(dataType) : after,
                activations);
        return new Node.Block(block.name(), main, shortcut, afterSite, in, out, new BufferCache());
    }

    private Node.Site site(String name, Layer activation, int[] activations) {
        activations[0]++;
        String siteName = name;
        if (name.equals("relu") || name.endsWith(".relu")) {
            siteName = name.substring(0, name.length() - "relu".length()) + "sn" + activations[0];
        }
        OptionalDouble threshold = activation instanceof PluginActivation plugin
                ? plugin.activation().conversionThreshold() : OptionalDouble.empty();
        return new Node.Site(siteName, activation, false, channels, threshold);
    }

    /** A new convolution with the BN folded in (with a bias), or a copy of the convolution without BN. */
    private Conv2d fold(Conv2d conv, BatchNorm2d batchNorm, String name) {
        boolean withBias = batchNorm != null || conv.bias().isPresent();
        Conv2d folded = new Conv2d(conv.inChannels(), conv.outChannels(), conv.kernelSize(), conv.stride(),
                conv.padding(), withBias, dataType);
        INDArray weight = conv.weight().value().castTo(DataType.DOUBLE);
        INDArray bias = conv.bias().map(b -> b.value().castTo(DataType.DOUBLE))
                .orElse(Nd4j.zeros(DataType.DOUBLE, conv.outChannels()));
        if (batchNorm != null) {
            if (batchNorm.channels() != conv.outChannels()) {
                throw new IllegalArgumentException(name + ": BatchNorm of " + batchNorm.channels()
                        + " channels after a convolution of " + conv.outChannels());
            }
            INDArray scale = batchNorm.runningVariance().castTo(DataType.DOUBLE).add(BatchNorm2d.EPSILON);
            scale = batchNorm.weight().value().castTo(DataType.DOUBLE).div(Transforms.sqrt(scale, false));
            long[] shape = weight.shape();
            weight = weight.reshape(shape[0], -1).mulColumnVector(scale.reshape(shape[0], 1)).reshape(shape);
            bias = bias.sub(batchNorm.runningMean().castTo(DataType.DOUBLE)).muli(scale)
                    .addi(batchNorm.bias().value().castTo(DataType.DOUBLE));
        }
        folded.weight().value().assign(weight.castTo(dataType));
        INDArray foldedBias = bias.castTo(dataType);
        folded.bias().ifPresent(b -> b.value().assign(foldedBias));
        return folded;
    }
}
