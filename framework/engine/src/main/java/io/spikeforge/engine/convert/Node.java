package io.spikeforge.engine.convert;

import io.spikeforge.engine.layer.Conv2d;
import io.spikeforge.engine.layer.GlobalAvgPool2d;
import io.spikeforge.engine.layer.Layer;
import io.spikeforge.engine.layer.Linear;
import io.spikeforge.engine.model.Pooling2d;
import io.spikeforge.engine.tensor.BufferCache;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One element of a converted network's layer graph, in forward order. Layers reuse their output
 * buffers (see {@link Layer}): a result stays valid until the same node runs again.
 */
sealed interface Node permits Node.Weighted, Node.Site, Node.Pool, Node.GlobalPool, Node.Block {
    /** The state-dict prefix of the layer, or the site's name. */
    String name();

    /**
     * A convolution (BN folded in) or a linear layer.
     *
     * @param encoding whether it takes the image (the first convolution), whose output is constant
     *     over time and is computed once per batch
     */
    record Weighted(String name, Layer layer, boolean encoding) implements Node {
        public Weighted {
            if (!(layer instanceof Conv2d || layer instanceof Linear)) {
                throw new IllegalArgumentException(name + ": not a convolution or linear layer");
            }
        }

        INDArray forward(INDArray input) {
            return layer.forward(input, false);
        }

        /** Multiply-accumulates per image of the forward pass that gave {@code output}. */
        double multiplyAccumulates(INDArray output) {
            if (layer instanceof Conv2d conv) {
                double outputsPerImage = (double) output.length() / output.size(0);
                return outputsPerImage * conv.inChannels() * conv.kernelSize() * conv.kernelSize();
            }
            Linear linear = (Linear) layer;
            return (double) linear.inFeatures() * linear.outFeatures();
        }
    }

    /**
     * Where spiking neurons go: an ANN activation, or an identity the placement adds (its ANN
     * function is the identity). Each spiking network has its own sites, whose neurons it sets.
     */
    final class Site implements Node {
        private final String name;
        private final Layer activation;
        private final boolean signed;
        private final int channels;
        private final OptionalDouble activationThreshold;
        private IfNeurons neurons;

        /**
         * @param activation the ANN activation (ReLU, a plugin's), or null for an added identity site
         * @param signed whether its neurons fire negative spikes too
         */
        Site(String name, Layer activation, boolean signed, int channels, OptionalDouble activationThreshold) {
            this.name = Objects.requireNonNull(name, "name");
            this.activation = activation;
            this.signed = signed;
            this.channels = channels;
            this.activationThreshold = activationThreshold;
        }

        @Override
        public String name() {
            return name;
        }

        boolean signed() {
            return signed;
        }

        int channels() {
            return channels;
        }

        OptionalDouble activationThreshold() {
            return activationThreshold;
        }

        /** The ANN's function here: the activation's own eval-mode forward, or the identity. */
        INDArray annForward(INDArray input) {
            return activation == null ? input : activation.forward(input, false);
        }

        /** A site like this one without neurons, for another spiking network. */
        Site copy() {
            return new Site(name, activation, signed, channels, activationThreshold);
        }

        IfNeurons neurons() {
            if (neurons == null) {
                throw new IllegalStateException(name + " has no thresholds yet");
            }
            return neurons;
        }

        void setNeurons(IfNeurons neurons) {
            this.neurons = neurons;
        }
    }

    /** Average pooling ({@link Pooling2d}); max pooling is not converted. */
    record Pool(String name, Pooling2d pooling) implements Node {
    }

    /** Global average pooling before the classifier. */
    record GlobalPool(String name, GlobalAvgPool2d pooling) implements Node {
    }

    /**
     * A residual block: {@code after(main(x) + shortcut(x))}, an empty shortcut being the identity.
     *
     * @param inChannels the channels of the block's input
     * @param outChannels the channels of its output
     */
    record Block(String name, List<Node> main, List<Node> shortcut, Site after, int inChannels, int outChannels,
                 BufferCache buffers) implements Node {
        public Block {
            main = List.copyOf(main);
            shortcut = List.copyOf(shortcut);
        }

        /** {@code main + shortcut} into a buffer of the block, valid until its next call. */
        INDArray sum(INDArray main, INDArray shortcut, DataType dataType) {
            return main.add(shortcut, buffers.get("sum", dataType, main.shape()));
        }
    }
}
