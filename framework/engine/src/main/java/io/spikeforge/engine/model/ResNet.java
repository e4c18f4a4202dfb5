package io.spikeforge.engine.model;

import io.spikeforge.engine.layer.BatchNorm2d;
import io.spikeforge.engine.layer.Conv2d;
import io.spikeforge.engine.layer.Layer;
import io.spikeforge.engine.layer.Linear;
import io.spikeforge.engine.layer.TimeMean;
import io.spikeforge.engine.tensor.BufferCache;
import io.spikeforge.engine.tensor.MemoryEstimate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A CIFAR-style ResNet with basic blocks, as an ANN (ReLU) or a spiking network, with an explicit
 * forward and backward pass. Made by {@link #builder()}.
 *
 * <p>Architecture: stem conv3x3 (stride 1, padding 1, no bias), BN, activation, no max-pooling; stages
 * of basic blocks whose first block strides by 2 (except in the first stage); global average
 * pooling; a linear classifier. A block's shortcut is the identity, or a 1x1 convolution with the
 * block's stride followed by BN where the stride or the width changes (option B of He et al., the
 * projection used by torchvision and the IDSNN code; option A's zero-padding shortcut is not
 * offered). Depths 18 (blocks 2/2/2/2) and 34 (3/4/6/3) have widths 64/128/256/512; the three-stage
 * family 20/32/44/56/110 has {@code (depth - 2) / 6} blocks per stage and widths 16/32/64.
 *
 * <p>Spiking variant: direct encoding. The stem convolution runs once on the {@code [B, C, H, W]}
 * images and its output is repeated into a time-major {@code [T*B, ...]} tensor (rows
 * {@code t*B .. t*B+B-1} are time-step t), followed by BN and neurons; blocks run on all time-steps
 * at once; the readout is average pooling, the mean over T, then the classifier (equal to the mean
 * of the classifier's outputs over T). Blocks are {@link BlockType#SPIKING_BASIC} (IDSNN) or
 * {@link BlockType#SEW_ADD}; BN is {@link BatchNormMode#TDBN} or {@link BatchNormMode#BN}.
 *
 * <p>Names: the ANN and the spiking variant have the same state-dict names, torchvision's
 * ({@code conv1.weight}, {@code bn1.running_mean}, {@code layer2.0.downsample.0.weight},
 * {@code fc.bias}, ...) without {@code num_batches_tracked}. Spiking layers are named as in
 * SpikingJelly's spiking and SEW ResNets: {@code sn1} (stem), {@code layer<s>.<b>.sn1} (after
 * {@code bn1}), {@code layer<s>.<b>.sn2} (after the addition in a basic block, after {@code bn2} in a
 * SEW block) and {@code layer<s>.<b>.downsample_sn} (a SEW block's projection shortcut).
 *
 * <p>Structure: stem {@code conv1}, {@code bn1}, {@code relu} or {@code sn1}; a block's main path
 * {@code conv1}, {@code bn1}, {@code relu} or {@code sn1}, {@code conv2}, {@code bn2}, then for
 * spiking blocks {@code sn2} (in a basic block it acts after the addition); its shortcut
 * {@code downsample.0}, {@code downsample.1} (and {@code downsample_sn} in SEW blocks); head
 * {@code avgpool}, {@code fc}. The ANN's structure equals torchvision's module names, where one
 * {@code relu} module serves both activations of a block. Firing rates are reported in forward
 * order: {@code sn1}, {@code layer1.0.sn1}, {@code layer1.0.sn2}, ({@code layer2.0.downsample_sn}).
 *
 * <p>An ANN with a plugin's activation ({@link ModelSettings#optActivation}) has one instance per
 * site, each with its own trainable tensors, so each site has its own name, where the spiking
 * variant has its neurons: {@code act1} (stem), {@code layer<s>.<b>.act1} (after {@code bn1}) and
 * {@code layer<s>.<b>.act2} (after the addition); their tensors are named under them
 * ({@code layer1.0.act2.threshold}) in the state dict and the structure. ReLU keeps torchvision's
 * names.
 *
 * <p>Buffers and lifetimes follow {@link Model}. Once shapes repeat, a training step allocates no ND4J memory (given
 * neuron models that reuse their buffers, as the lif plugin's do). Not thread-safe.
 */
public final class ResNet extends ComposedModel {
    private static final int STEM_KERNEL = 3;

    private ResNet(Composition composition, long seed) {
        super(composition);
        SeededInitialization.apply(layers(), seed);
    }

    /** A builder with the defaults: ANN ResNet-18, 10 classes, float, seed 0. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Composes the layers. Gradients go through the model's shared gradient pool (see
     * {@link io.spikeforge.engine.layer.Conv2d#useGradientPool}), with four roles. In backward order:
     * a block's incoming gradient (the next block's {@link LayerMaker#BLOCK_GRADIENT}, or the pooling
     * layer's) is read by the last activation or the addition; {@code bn2}, {@code bn1} and
     * {@code downsample.1} write {@link LayerMaker#BATCH_NORM_GRADIENT}, each read by the convolution
     * before it before the next BN writes; {@code conv2} and {@code conv1} write
     * {@link LayerMaker#CONVOLUTION_GRADIENT}, read by the activation before {@code conv2}, while the
     * result of {@code conv1} stays in use until the end of the block; so {@code downsample.0} writes
     * {@link LayerMaker#SHORTCUT_GRADIENT}. The block's result is the sum of the two paths in
     * {@link LayerMaker#BLOCK_GRADIENT}, which may be the incoming gradient's own buffer (identity
     * shortcut of a SEW block, where the sum reads it element by element). Activations and the
     * addition keep their own buffers.
     */
    private static Composition compose(Builder settings, int[] blocksPerStage, int[] widths) {
        boolean spiking = settings.spiking();
        int timeSteps = settings.timeStepsOrOne();
        DataType dataType = settings.dataType;
        int depth = 2 * Arrays.stream(blocksPerStage).sum() + 2;
        String architecture = (!spiking ? "" : settings.blockType == BlockType.SEW_ADD ? "sew-" : "spiking-")
                + "resnet" + depth;
        LayerMaker maker = settings.layerMaker();

        String stemActivationName = spiking ? "sn1" : maker.pluginActivations() ? "act1" : "relu";
        Layer stemConvolution = spiking ? maker.directEncodingStem(settings.inputChannels, widths[0], STEM_KERNEL, false)
                : maker.convolution(settings.inputChannels, widths[0], STEM_KERNEL, 1, false);
        Layer stemActivation = maker.activation(stemActivationName, widths[0]);
        BatchNorm2d stemBatchNorm = maker.batchNorm("bn1", widths[0], stemActivation);
        stemBatchNorm.useGradientPool(maker.gradientPool(), LayerMaker.BATCH_NORM_GRADIENT);
        Sequential stem = new Sequential().add("conv1", stemConvolution).add("bn1", stemBatchNorm)
                .add(stemActivationName, stemActivation);

        List<NamedSequence> stages = new ArrayList<>();
        int in = widths[0];
        for (int s = 0; s < widths.length; s++) {
            Sequential stage = new Sequential();
            for (int b = 0; b < blocksPerStage[s]; b++) {
                int stride = s > 0 && b == 0 ? 2 : 1;
                stage.add(Integer.toString(b), block("layer" + (s + 1) + "." + b, in, widths[s], stride,
                        settings.blockType, maker));
                in = widths[s];
            }
            stages.add(new NamedSequence("layer" + (s + 1), stage));
        }
        Sequential head = new Sequential().add("avgpool", maker.globalAveragePooling());
        if (spiking) {
            head.add("mean_over_time", new TimeMean(timeSteps, dataType));
        }
        head.add("fc", new Linear(in, settings.classes, true, dataType));
        return new Composition(architecture, settings.inputChannels, settings.classes, timeSteps, spiking, dataType,
                maker.layout(),
                new NamedSequence("", stem), stages, new NamedSequence("", head));
    }

    /**
     * A basic residual block (two 3x3 convolutions) with an identity or projection shortcut; see
     * {@link BlockType} for where the activations sit. Layer names follow torchvision ({@code conv1},
     * {@code bn1}, {@code conv2}, {@code bn2}, {@code downsample.0|1}) and SpikingJelly for neurons
     * ({@code sn1}, {@code sn2}, {@code downsample_sn}).
     *
     * @param name such as {@code layer2.0}, for the neuron factory and tdBN messages
     */
    private static Residual block(String name, int in, int out, int stride, BlockType type, LayerMaker maker) {
        boolean spiking = maker.spiking();
        boolean sew = type == BlockType.SEW_ADD;
        String prefix = name + ".";
        String activationName1 = spiking ? "sn1" : maker.pluginActivations() ? "act1" : "relu";
        String activationName2 = spiking ? "sn2" : maker.pluginActivations() ? "act2" : "relu";
        BufferCache pool = maker.gradientPool();
        // each activation is made before the BN layers that feed it (whose tdBN weight is its
        // neurons' threshold); the neurons are still made in forward order
        Conv2d conv1 = maker.convolution(in, out, 3, stride, false);
        Layer activation1 = maker.activation(prefix + activationName1, out);
        BatchNorm2d bn1 = maker.batchNorm(prefix + "bn1", out, activation1);
        Conv2d conv2 = maker.convolution(out, out, 3, 1, false);
        Layer activation2 = maker.activation(prefix + activationName2, out);
        BatchNorm2d bn2 = maker.batchNorm(prefix + "bn2", out, activation2);
        conv1.useGradientPool(pool, LayerMaker.CONVOLUTION_GRADIENT);
        bn1.useGradientPool(pool, LayerMaker.BATCH_NORM_GRADIENT);
        conv2.useGradientPool(pool, LayerMaker.CONVOLUTION_GRADIENT);
        bn2.useGradientPool(pool, LayerMaker.BATCH_NORM_GRADIENT);
        Sequential main = new Sequential().add("conv1", conv1).add("bn1", bn1).add(activationName1, activation1)
                .add("conv2", conv2).add("bn2", bn2);
        if (sew) {
            main.add(activationName2, activation2);
        }
        Sequential shortcut = new Sequential();
        if (stride != 1 || in != out) {
            Conv2d projection = maker.convolution(in, out, 1, stride, false);
            Layer shortcutActivation = sew ? maker.activation(prefix + "downsample_sn", out) : null;
            BatchNorm2d projectionBatchNorm = maker.batchNorm(prefix + "downsample.1", out,
                    sew ? shortcutActivation : activation2);
            projection.useGradientPool(pool, LayerMaker.SHORTCUT_GRADIENT);
            projectionBatchNorm.useGradientPool(pool, LayerMaker.BATCH_NORM_GRADIENT);
            shortcut.add("downsample.0", projection).add("downsample.1", projectionBatchNorm);
            if (sew) {
                shortcut.add("downsample_sn", shortcutActivation);
            }
        }
        return new Residual(main, shortcut, activationName2, sew ? null : activation2, maker.dataType(), pool,
                LayerMaker.BLOCK_GRADIENT);
    }

    /** Settings of a {@link ResNet}; every setter is optional. */
    public static final class Builder extends ModelSettings<Builder> {
        private int depth = 18;
        private int[] widths;
        private int[] blocksPerStage;
        private BlockType blockType = BlockType.SPIKING_BASIC;

        private Builder() {
        }

        /**
         * 18 or 34 (four stages, widths 64/128/256/512), or 8, 14, 20, 32, 44, 56, 110 (three stages,
         * widths 16/32/64); default 18. Sets the blocks per stage and the default widths.
         */
        public Builder optDepth(int depth) {
            this.depth = depth;
            return this;
        }

        /** The width of each stage, replacing the depth's; one entry per stage. */
        public Builder optWidths(int... widths) {
            this.widths = widths.clone();
            return this;
        }

        /**
         * Blocks per stage, replacing the depth's: one value for every stage (the number of stages
         * comes from the widths if given, else from the depth), or one value per stage.
         */
        public Builder optBlocksPerStage(int... blocksPerStage) {
            this.blocksPerStage = blocksPerStage.clone();
            return this;
        }

        /** The residual block of a spiking network; default {@link BlockType#SPIKING_BASIC}. */
        public Builder optBlockType(BlockType blockType) {
            this.blockType = Objects.requireNonNull(blockType, "blockType");
            return this;
        }

        /**
         * Makes the model, after checking that its parameters and their gradients fit in the memory
         * this process may still take ({@link io.spikeforge.engine.tensor.MemoryBudget}), so that absurd sizes are refused
         * instead of crashing the JVM in native code.
         *
         * @throws IllegalArgumentException for an unknown depth, stage counts that disagree,
         *     non-positive sizes, options that only a spiking network has on an ANN, or
         *     parameters that do not fit in memory ({@link InsufficientMemoryException})
         */
        @Override
        public ResNet build() {
            Layout layout = layout();
            ModelBuilder.requireParametersFit(memory(layout).estimate(1, Set.of(), Set.of()));
            return new ResNet(compose(this, layout.blocksPerStage(), layout.widths()), seed);
        }

        @Override
        public MemoryEstimate estimateMemory(int imageSize, Collection<Integer> trainingBatches,
                                             Collection<Integer> inferenceBatches) {
            ModelBuilder.requirePositiveSizes(imageSize, trainingBatches, inferenceBatches);
            return memory(layout()).estimate(imageSize, new TreeSet<>(trainingBatches), new TreeSet<>(inferenceBatches));
        }

        private ResNetMemory memory(Layout layout) {
            return new ResNetMemory(layout.blocksPerStage(), layout.widths(), inputChannels, classes, timeSteps,
                    spiking(), blockType == BlockType.SEW_ADD, activationLayout(), dataType.width(),
                    this::neuronTrainingElements, this::batchNormDefersToNeurons);
        }

        /** Blocks and widths per stage, resolved from the depth and the overrides. */
        private record Layout(int[] blocksPerStage, int[] widths) {
        }

        private Layout layout() {
            int[] depthBlocks = switch (depth) {
                case 18 -> new int[] {2, 2, 2, 2};
                case 34 -> new int[] {3, 4, 6, 3};
                case 8, 14, 20, 32, 44, 56, 110 -> new int[] {(depth - 2) / 6, (depth - 2) / 6, (depth - 2) / 6};
                default -> throw new IllegalArgumentException("depth must be 18 or 34 (four stages) or 8, 14, 20, 32,"
                        + " 44, 56 or 110 (three stages), got " + depth);
            };
            int[] resolvedWidths = widths != null ? widths
                    : depthBlocks.length == 4 ? new int[] {64, 128, 256, 512} : new int[] {16, 32, 64};
            int[] resolvedBlocks = depthBlocks;
            if (blocksPerStage != null) {
                resolvedBlocks = blocksPerStage.length == 1 ? filled(resolvedWidths.length, blocksPerStage[0])
                        : blocksPerStage;
            }
            if (resolvedBlocks.length != resolvedWidths.length) {
                throw new IllegalArgumentException("blocks per stage " + Arrays.toString(resolvedBlocks) + " and widths "
                        + Arrays.toString(resolvedWidths) + " must have one entry per stage");
            }
            requirePositive("widths", resolvedWidths);
            requirePositive("blocks per stage", resolvedBlocks);
            requireSharedSettings();
            if (!spiking() && (blockType != BlockType.SPIKING_BASIC || batchNormMode == BatchNormMode.TDBN)) {
                throw new IllegalArgumentException("SEW blocks and tdBN need a spiking network (optSpiking)");
            }
            return new Layout(resolvedBlocks.clone(), resolvedWidths.clone());
        }

        private static int[] filled(int length, int value) {
            int[] values = new int[length];
            Arrays.fill(values, value);
            return values;
        }

        private static void requirePositive(String what, int[] values) {
            if (values.length == 0 || Arrays.stream(values).anyMatch(v -> v < 1)) {
                throw new IllegalArgumentException(what + " must be positive numbers, got " + Arrays.toString(values));
            }
        }
    }
}
