package io.spikeforge.testkit.init;

import io.spikeforge.api.model.Block;
import io.spikeforge.api.model.LayerInfo;
import io.spikeforge.api.model.LayerKind;
import io.spikeforge.api.model.ModelStructure;
import io.spikeforge.api.model.Stage;
import io.spikeforge.api.model.StateDict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the structure and a random state dict of a CIFAR-style ResNet with basic blocks, named as
 * torchvision names them: {@code conv1}, {@code bn1}, {@code layer<s>.<b>.conv1|bn1|conv2|bn2},
 * {@code layer<s>.<b>.downsample.0|1} and {@code fc}.
 *
 * <p>The stem is a {@code kernelSize x kernelSize} convolution from the input channels to the first
 * stage's width, then BN. Each stage's first block strides by 2 (except in the first stage) and has a
 * 1x1 convolution + BN shortcut when it changes the width or strides. The head is average pooling and
 * a linear classifier. For example {@code blocksPerStage(3, 4, 6, 3).widths(64, 128, 256, 512)} is
 * ResNet-34 and {@code blocksPerStage(2, 2, 2, 2)} is ResNet-18; tests use small widths to stay fast.
 *
 * <p>Values are drawn from a {@link Random} seeded by {@link Builder#seed(long)}, so equal settings
 * give equal tensors (in new arrays on every {@link Builder#build()}): convolution weights
 * {@code N(0, 2 / fan_in)}, BN weights and running variances {@code U(0.5, 1.5)}, BN biases and
 * running means {@code N(0, 0.1^2)}, linear weights {@code N(0, 1 / in)}, linear bias {@code N(0, 0.01^2)}.
 * Layers carry no {@code num_batches_tracked} buffer.
 */
public final class CifarResNet {
    private static final List<String> BATCH_NORM_TENSORS = List.of("weight", "bias", "running_mean", "running_var");

    private CifarResNet() {
    }

    /** A builder with ResNet-18 defaults: blocks 2/2/2/2, widths 64/128/256/512, 3x3 kernels, 10 classes. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of the ResNet to build. */
    public static final class Builder {
        private String architecture = "resnet";
        private int[] blocksPerStage = {2, 2, 2, 2};
        private int[] widths = {64, 128, 256, 512};
        private int kernelSize = 3;
        private int inputChannels = 3;
        private int classes = 10;
        private DataType dataType = DataType.FLOAT;
        private long seed;

        private Builder() {
        }

        /** The architecture name recorded in the structure, such as {@code resnet34}. */
        public Builder architecture(String architecture) {
            this.architecture = Objects.requireNonNull(architecture, "architecture");
            return this;
        }

        /** The number of blocks of each stage; also sets the number of stages. */
        public Builder blocksPerStage(int... blocksPerStage) {
            this.blocksPerStage = blocksPerStage.clone();
            return this;
        }

        /** The channel width of each stage. */
        public Builder widths(int... widths) {
            this.widths = widths.clone();
            return this;
        }

        /** The kernel size of the stem and of the blocks' main-path convolutions (shortcuts stay 1x1). */
        public Builder kernelSize(int kernelSize) {
            this.kernelSize = kernelSize;
            return this;
        }

        /** Channels of the input image. */
        public Builder inputChannels(int inputChannels) {
            this.inputChannels = inputChannels;
            return this;
        }

        /** Outputs of the classifier. */
        public Builder classes(int classes) {
            this.classes = classes;
            return this;
        }

        /** The data type of every tensor. */
        public Builder dataType(DataType dataType) {
            this.dataType = Objects.requireNonNull(dataType, "dataType");
            return this;
        }

        /** Seed of the random values. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Builds the structure and fresh tensors. */
        public ModelAndState build() {
            if (blocksPerStage.length != widths.length) {
                throw new IllegalArgumentException("blocksPerStage " + Arrays.toString(blocksPerStage) + " and widths "
                        + Arrays.toString(widths) + " must give one entry per stage");
            }
            if (Arrays.stream(blocksPerStage).anyMatch(n -> n < 1) || Arrays.stream(widths).anyMatch(w -> w < 1)
                    || kernelSize < 1 || inputChannels < 1 || classes < 1) {
                throw new IllegalArgumentException("blocks, widths, kernel size, input channels and classes must be >= 1");
            }
            return new Assembly(this).build();
        }
    }

    /** Collects layers and tensors while a model is assembled. */
    private static final class Assembly {
        private final Builder settings;
        private final Random random;
        private final Map<String, INDArray> tensors = new LinkedHashMap<>();

        Assembly(Builder settings) {
            this.settings = settings;
            this.random = new Random(settings.seed);
        }

        ModelAndState build() {
            int k = settings.kernelSize;
            List<LayerInfo> stem = List.of(
                    convolution("conv1", settings.widths[0], settings.inputChannels, k),
                    batchNorm("bn1", settings.widths[0]),
                    tensorless("relu", LayerKind.ACTIVATION));
            List<Stage> stages = new ArrayList<>();
            int inputWidth = settings.widths[0];
            for (int s = 0; s < settings.widths.length; s++) {
                int width = settings.widths[s];
                List<Block> blocks = new ArrayList<>();
                for (int b = 0; b < settings.blocksPerStage[s]; b++) {
                    String block = "layer" + (s + 1) + "." + b;
                    boolean strided = s > 0 && b == 0;
                    List<LayerInfo> main = List.of(
                            convolution(block + ".conv1", width, inputWidth, k),
                            batchNorm(block + ".bn1", width),
                            tensorless(block + ".relu", LayerKind.ACTIVATION),
                            convolution(block + ".conv2", width, width, k),
                            batchNorm(block + ".bn2", width));
                    List<LayerInfo> shortcut = strided || inputWidth != width
                            ? List.of(convolution(block + ".downsample.0", width, inputWidth, 1),
                                    batchNorm(block + ".downsample.1", width))
                            : List.of();
                    blocks.add(new Block(block, main, shortcut));
                    inputWidth = width;
                }
                stages.add(new Stage(s + 1, blocks));
            }
            List<LayerInfo> head = List.of(tensorless("avgpool", LayerKind.POOLING), linear("fc", settings.classes, inputWidth));
            return new ModelAndState(new ModelStructure(settings.architecture, stem, stages, head), StateDict.of(tensors));
        }

        private LayerInfo convolution(String name, int out, int in, int kernel) {
            double std = Math.sqrt(2.0 / (in * kernel * kernel));
            tensors.put(name + ".weight", gaussian(new long[] {out, in, kernel, kernel}, 0, std));
            return new LayerInfo(name, LayerKind.CONVOLUTION, List.of(name + ".weight"));
        }

        private LayerInfo batchNorm(String name, int channels) {
            tensors.put(name + ".weight", uniform(channels, 0.5, 1.5));
            tensors.put(name + ".bias", gaussian(new long[] {channels}, 0, 0.1));
            tensors.put(name + ".running_mean", gaussian(new long[] {channels}, 0, 0.1));
            tensors.put(name + ".running_var", uniform(channels, 0.5, 1.5));
            return new LayerInfo(name, LayerKind.BATCH_NORM, BATCH_NORM_TENSORS.stream().map(t -> name + "." + t).toList());
        }

        private LayerInfo linear(String name, int out, int in) {
            tensors.put(name + ".weight", gaussian(new long[] {out, in}, 0, Math.sqrt(1.0 / in)));
            tensors.put(name + ".bias", gaussian(new long[] {out}, 0, 0.01));
            return new LayerInfo(name, LayerKind.LINEAR, List.of(name + ".weight", name + ".bias"));
        }

        private static LayerInfo tensorless(String name, LayerKind kind) {
            return new LayerInfo(name, kind, List.of());
        }

        private INDArray gaussian(long[] shape, double mean, double std) {
            double[] values = new double[Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact))];
            for (int i = 0; i < values.length; i++) {
                values[i] = mean + std * random.nextGaussian();
            }
            return Nd4j.create(values, shape, settings.dataType);
        }

        private INDArray uniform(int length, double low, double high) {
            double[] values = new double[length];
            for (int i = 0; i < length; i++) {
                values[i] = low + (high - low) * random.nextDouble();
            }
            return Nd4j.create(values, new long[] {length}, settings.dataType);
        }
    }
}
