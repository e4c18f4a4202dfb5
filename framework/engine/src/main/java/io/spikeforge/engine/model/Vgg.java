package io.spikeforge.engine.model;

import io.spikeforge.engine.layer.BatchNorm2d;
import io.spikeforge.engine.layer.Conv2d;
import io.spikeforge.engine.layer.Layer;
import io.spikeforge.engine.layer.Linear;
import io.spikeforge.engine.layer.TimeMean;
import io.spikeforge.engine.tensor.MemoryEstimate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A CIFAR-style VGG with batch normalization (VGG-11 or VGG-16), as an ANN (ReLU) or a spiking
 * network. Made by {@link #builder()}.
 *
 * <p>Architecture: torchvision's {@code vgg11_bn} / {@code vgg16_bn} feature extractor, 3x3
 * convolutions (stride 1, padding 1, with bias) each followed by BN and an activation, and 2x2
 * pooling with stride 2 after each group (configurations A and D of Simonyan and Zisserman: widths
 * 64, 128, 256, 512, 512); then the small CIFAR head instead of torchvision's three 4096-wide linear
 * layers: global average pooling and one linear layer from 512 features to the classes. On 32x32
 * images the five poolings leave 1x1 maps, so the average pooling is the identity there and the
 * model equals the common CIFAR VGG ({@code nn.Linear(512, classes)} on the flattened features); on
 * other sizes it still works (28x28: 14, 7, 4, 2, 1, see {@link Pooling2d}). Pooling is max pooling
 * by default; spiking VGGs usually take average pooling ({@link Builder#optPooling}), which passes
 * spike rates instead of "any spike".
 *
 * <p>Spiking variant: direct encoding as in {@link ResNet} (the first convolution runs once and its
 * output is repeated over T), BN is tdBN by default, and the readout is average pooling, the mean
 * over T, then the classifier.
 *
 * <p>Names follow torchvision: {@code features.<i>} numbers the layers of the feature extractor in
 * order (convolution, BN, activation, and the pooling after a group), so {@code features.0.weight},
 * {@code features.0.bias}, {@code features.1.running_mean}, ...; the spiking variant has neurons
 * where the ANN has ReLU ({@code features.2}, as SpikingJelly's spiking VGGs), and so has a plugin's
 * activation ({@link ModelSettings#optActivation}), its tensors named under it
 * ({@code features.2.threshold}). Then {@code avgpool}
 * and {@code classifier.weight}, {@code classifier.bias}. The {@link io.spikeforge.api.model.ModelStructure}
 * has no residual stages: its stem is the feature extractor, its head {@code avgpool} and
 * {@code classifier}.
 *
 * <p>Initialization: convolutions kaiming normal (fan_out, ReLU) with zero bias as torchvision's VGG,
 * the classifier PyTorch's default linear initialization, drawn from one seeded generator in
 * state-dict order. Buffers and lifetimes follow {@link Model}; once shapes repeat, a training step
 * allocates no ND4J memory. Not thread-safe.
 */
public final class Vgg extends ComposedModel {
    /** A convolution group ends with a pooling layer, marked by this entry in a configuration. */
    static final int POOL = 0;
    private static final int KERNEL = 3;

    private Vgg(Composition composition, long seed) {
        super(composition);
        SeededInitialization.apply(layers(), seed);
    }

    /** A builder with the defaults: ANN VGG-11, max pooling, 10 classes, float, seed 0. */
    public static Builder builder() {
        return new Builder();
    }

    /** The convolution widths of a depth, with {@link #POOL} where a group ends. */
    static int[] configuration(int depth) {
        return switch (depth) {
            case 11 -> new int[] {64, POOL, 128, POOL, 256, 256, POOL, 512, 512, POOL, 512, 512, POOL};
            case 16 -> new int[] {64, 64, POOL, 128, 128, POOL, 256, 256, 256, POOL, 512, 512, 512, POOL, 512, 512, 512,
                POOL};
            default -> throw new IllegalArgumentException("VGG depth must be 11 or 16, got " + depth);
        };
    }

    private static Composition compose(Builder settings, int[] layout) {
        boolean spiking = settings.spiking();
        int timeSteps = settings.timeStepsOrOne();
        DataType dataType = settings.dataType;
        LayerMaker maker = settings.layerMaker();
        Sequential features = new Sequential();
        int index = 0;
        int in = settings.inputChannels;
        for (int width : layout) {
            if (width == POOL) {
                features.add(Integer.toString(index++), maker.pooling(settings.pooling));
                continue;
            }
            boolean first = index == 0;
            Layer convolution = spiking && first ? maker.directEncodingStem(in, width, KERNEL, true)
                    : maker.convolution(in, width, KERNEL, 1, true);
            if (convolution instanceof Conv2d pooled && !first) {
                pooled.useGradientPool(maker.gradientPool(), LayerMaker.CONVOLUTION_GRADIENT);
            }
            String batchNormName = "features." + (index + 1);
            String activationName = Integer.toString(index + 2);
            Layer activation = maker.activation("features." + activationName, width);
            BatchNorm2d batchNorm = maker.batchNorm(batchNormName, width, activation);
            batchNorm.useGradientPool(maker.gradientPool(), LayerMaker.BATCH_NORM_GRADIENT);
            features.add(Integer.toString(index), convolution).add(Integer.toString(index + 1), batchNorm)
                    .add(activationName, activation);
            index += 3;
            in = width;
        }
        Sequential head = new Sequential().add("avgpool", maker.globalAveragePooling());
        if (spiking) {
            head.add("mean_over_time", new TimeMean(timeSteps, dataType));
        }
        head.add("classifier", new Linear(in, settings.classes, true, dataType));
        String architecture = (spiking ? "spiking-" : "") + "vgg" + settings.depth;
        return new Composition(architecture, settings.inputChannels, settings.classes, timeSteps, spiking, dataType,
                maker.layout(),
                new NamedSequence("features", features), List.of(), new NamedSequence("", head));
    }

    /** Settings of a {@link Vgg}; every setter is optional. */
    public static final class Builder extends ModelSettings<Builder> {
        private int depth = 11;
        private int[] widths;
        private Pooling2d.Mode pooling = Pooling2d.Mode.MAX;

        private Builder() {
        }

        /** 11 (configuration A: 8 convolutions) or 16 (D: 13 convolutions); default 11. */
        public Builder optDepth(int depth) {
            this.depth = depth;
            return this;
        }

        /**
         * The width of each convolution, replacing the depth's (64 ... 512): one entry per
         * convolution (8 for VGG-11, 13 for VGG-16), for small models in tests and benchmarks.
         */
        public Builder optWidths(int... widths) {
            this.widths = widths.clone();
            return this;
        }

        /** Max pooling (default, torchvision's) or average pooling (usual in spiking VGGs). */
        public Builder optPooling(Pooling2d.Mode pooling) {
            this.pooling = Objects.requireNonNull(pooling, "pooling");
            return this;
        }

        /**
         * Makes the model, after checking that its parameters and their gradients fit in the memory
         * this process may still take.
         *
         * @throws IllegalArgumentException for a depth other than 11 or 16, widths that do not match
         *     its convolutions, non-positive sizes, tdBN on an ANN, or parameters that do not fit in
         *     memory ({@link InsufficientMemoryException})
         */
        @Override
        public Vgg build() {
            int[] layout = layout();
            ModelBuilder.requireParametersFit(memory(layout).estimate(1, Set.of(), Set.of()));
            return new Vgg(compose(this, layout), seed);
        }

        @Override
        public MemoryEstimate estimateMemory(int imageSize, Collection<Integer> trainingBatches,
                                             Collection<Integer> inferenceBatches) {
            ModelBuilder.requirePositiveSizes(imageSize, trainingBatches, inferenceBatches);
            return memory(layout()).estimate(imageSize, new TreeSet<>(trainingBatches), new TreeSet<>(inferenceBatches));
        }

        private VggMemory memory(int[] layout) {
            return new VggMemory(layout, inputChannels, classes, timeSteps, spiking(), activationLayout(), dataType.width(),
                    this::neuronTrainingElements, this::batchNormDefersToNeurons);
        }

        /** The depth's configuration with the given widths in place of its own. */
        private int[] layout() {
            int[] layout = configuration(depth);
            if (widths != null) {
                long convolutions = Arrays.stream(layout).filter(w -> w != POOL).count();
                if (widths.length != convolutions || Arrays.stream(widths).anyMatch(w -> w < 1)) {
                    throw new IllegalArgumentException("VGG-" + depth + " needs " + convolutions
                            + " positive widths, one per convolution, got " + Arrays.toString(widths));
                }
                for (int i = 0, w = 0; i < layout.length; i++) {
                    if (layout[i] != POOL) {
                        layout[i] = widths[w++];
                    }
                }
            }
            requireSharedSettings();
            if (!spiking() && batchNormMode == BatchNormMode.TDBN) {
                throw new IllegalArgumentException("tdBN needs a spiking network (optSpiking)");
            }
            return layout;
        }
    }
}
