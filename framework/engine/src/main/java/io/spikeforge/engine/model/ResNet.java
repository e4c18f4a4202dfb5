package io.spikeforge.engine.model;

import io.spikeforge.api.model.Block;
import io.spikeforge.api.model.LayerInfo;
import io.spikeforge.api.model.LayerKind;
import io.spikeforge.api.model.ModelStructure;
import io.spikeforge.api.model.Stage;
import io.spikeforge.api.model.StateDict;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.engine.layer.BatchNorm2d;
import io.spikeforge.engine.layer.GlobalAvgPool2d;
import io.spikeforge.engine.layer.Layer;
import io.spikeforge.engine.layer.Linear;
import io.spikeforge.engine.layer.Parameter;
import io.spikeforge.engine.layer.SpikingActivation;
import io.spikeforge.engine.layer.TimeMean;
import io.spikeforge.engine.tensor.MemoryBudget;
import io.spikeforge.engine.tensor.MemoryEstimate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

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
 * <p>Buffers and lifetimes follow {@link Layer}: returned arrays are reused by the next call, a
 * training-mode forward keeps references to what the backward pass needs (the caller must leave the
 * images unchanged until then), and {@link #backward} must follow its training-mode forward with no
 * other forward in between. Once shapes repeat, a training step allocates no ND4J memory (given
 * neuron models that reuse their buffers, as the lif plugin's do). Not thread-safe.
 */
public final class ResNet {
    private static final int STEM_KERNEL = 3;

    private final String architecture;
    private final int inputChannels;
    private final int classes;
    private final int timeSteps;
    private final boolean spiking;
    private final DataType dataType;
    private final Layer stemConvolution;
    private final BatchNorm2d stemBatchNorm;
    private final Layer stemActivation;
    private final List<ResidualBlock> blocks;
    private final GlobalAvgPool2d pool;
    private final TimeMean timeMean;
    private final Linear classifier;
    private final Map<String, Parameter> parameters;
    private final StateDict stateDict;
    private final ModelStructure structure;
    private final Map<String, SpikingActivation> spikingLayers;

    private ResNet(Builder settings, int[] blocksPerStage, int[] widths) {
        this.inputChannels = settings.inputChannels;
        this.classes = settings.classes;
        this.spiking = settings.neuronFactory != null;
        this.timeSteps = spiking ? settings.timeSteps : 1;
        this.dataType = settings.dataType;
        BatchNormMode batchNormMode = spiking ? Objects.requireNonNullElse(settings.batchNormMode, BatchNormMode.TDBN)
                : BatchNormMode.BN;
        int depth = 2 * Arrays.stream(blocksPerStage).sum() + 2;
        this.architecture = (!spiking ? "" : settings.blockType == BlockType.SEW_ADD ? "sew-" : "spiking-")
                + "resnet" + depth;
        LayerMaker maker = new LayerMaker(dataType, settings.neuronFactory, timeSteps, batchNormMode,
                settings.tdbnInitialWeight);

        String stemActivationName = spiking ? "sn1" : "relu";
        stemConvolution = spiking ? maker.directEncodingStem("conv1", inputChannels, widths[0], STEM_KERNEL)
                : maker.convolution("conv1", inputChannels, widths[0], STEM_KERNEL, 1);
        stemActivation = maker.activation(stemActivationName);
        stemBatchNorm = maker.batchNorm("bn1", widths[0], stemActivation);
        stemBatchNorm.useGradientPool(maker.gradientPool(), ResidualBlock.BATCH_NORM_GRADIENT);
        List<LayerInfo> stem = List.of(maker.info("conv1", LayerKind.CONVOLUTION),
                maker.info("bn1", LayerKind.BATCH_NORM), maker.info(stemActivationName, LayerKind.ACTIVATION));

        List<ResidualBlock> allBlocks = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        int in = widths[0];
        for (int s = 0; s < widths.length; s++) {
            List<Block> stageBlocks = new ArrayList<>();
            for (int b = 0; b < blocksPerStage[s]; b++) {
                int stride = s > 0 && b == 0 ? 2 : 1;
                ResidualBlock block = new ResidualBlock("layer" + (s + 1) + "." + b, in, widths[s], stride,
                        settings.blockType, maker);
                allBlocks.add(block);
                stageBlocks.add(block.structure());
                in = widths[s];
            }
            stages.add(new Stage(s + 1, stageBlocks));
        }
        blocks = List.copyOf(allBlocks);
        pool = new GlobalAvgPool2d(dataType);
        timeMean = spiking ? new TimeMean(timeSteps, dataType) : null;
        classifier = maker.register("fc", new Linear(in, classes, true, dataType));
        List<LayerInfo> head = List.of(maker.info("avgpool", LayerKind.POOLING), maker.info("fc", LayerKind.LINEAR));
        structure = new ModelStructure(architecture, stem, stages, head);

        SeededInitialization.apply(maker.layersWithTensors(), settings.seed);
        Map<String, Parameter> named = new LinkedHashMap<>();
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        maker.layersWithTensors().forEach((name, layer) -> {
            layer.parameters().forEach(p -> named.put(name + "." + p.name(), p));
            layer.stateTensors().forEach((tensor, value) -> tensors.put(name + "." + tensor, value));
        });
        parameters = Collections.unmodifiableMap(named);
        stateDict = StateDict.of(tensors);
        spikingLayers = Collections.unmodifiableMap(new LinkedHashMap<>(maker.spikingLayers()));
    }

    /** A builder with the defaults: ANN ResNet-18, 10 classes, float, seed 0. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Computes the logits.
     *
     * @param images {@code [B, inputChannels, H, W]} in the model's data type; any H and W of at
     *     least 1 (each stride-2 stage halves them, rounding up)
     * @param training true for batch statistics in BN and to keep what {@link #backward} needs
     * @return {@code [B, classes]}, a buffer reused by the next forward
     */
    public INDArray forward(INDArray images, boolean training) {
        Objects.requireNonNull(images, "images");
        if (images.rank() != 4 || images.size(1) != inputChannels) {
            throw new IllegalArgumentException(architecture + " expects images [B, " + inputChannels
                    + ", H, W] but got " + Arrays.toString(images.shape()));
        }
        if (images.dataType() != dataType) {
            throw new IllegalArgumentException(architecture + " works in " + dataType + " but the images are "
                    + images.dataType());
        }
        INDArray x = stemConvolution.forward(images, training);
        x = stemBatchNorm.forward(x, training);
        x = stemActivation.forward(x, training);
        for (ResidualBlock block : blocks) {
            x = block.forward(x, training);
        }
        x = pool.forward(x, training);
        if (timeMean != null) {
            x = timeMean.forward(x, training);
        }
        return classifier.forward(x, training);
    }

    /**
     * Back-propagates through the last training-mode forward, adding every parameter's gradient
     * into {@link Parameter#gradient()} (call {@link #zeroGradients()} before a new step).
     *
     * @param gradLogits dL/dlogits, {@code [B, classes]}
     * @return dL/dimages, a buffer reused by the next backward
     * @throws IllegalStateException when no training-mode forward precedes it
     */
    public INDArray backward(INDArray gradLogits) {
        Objects.requireNonNull(gradLogits, "gradLogits");
        INDArray g = classifier.backward(gradLogits);
        if (timeMean != null) {
            g = timeMean.backward(g);
        }
        g = pool.backward(g);
        for (int i = blocks.size() - 1; i >= 0; i--) {
            g = blocks.get(i).backward(g);
        }
        g = stemActivation.backward(g);
        g = stemBatchNorm.backward(g);
        return stemConvolution.backward(g);
    }

    /** Every trainable parameter by full PyTorch name ({@code layer1.0.conv1.weight}), in state-dict order. */
    public Map<String, Parameter> parameters() {
        return parameters;
    }

    /** The number of trainable values, as PyTorch counts {@code p.numel()} over the parameters. */
    public long parameterCount() {
        return parameters.values().stream().mapToLong(p -> p.value().length()).sum();
    }

    /** Sets every parameter gradient to zero. */
    public void zeroGradients() {
        parameters.values().forEach(Parameter::zeroGradient);
    }

    /**
     * Every tensor (parameters, BN running statistics) by full PyTorch name, in PyTorch's order. The
     * arrays are the model's own: writing into them with {@code assign} changes the model.
     */
    public StateDict stateDict() {
        return stateDict;
    }

    /**
     * The stem, stages and head, with layer names that are the prefixes of the state-dict names.
     * Stem: {@code conv1}, {@code bn1}, and {@code relu} or {@code sn1}. A block's main path:
     * {@code conv1}, {@code bn1}, {@code relu} or {@code sn1}, {@code conv2}, {@code bn2}, then for
     * spiking blocks {@code sn2} (in a basic block it acts after the addition, which the structure
     * has no place for); its shortcut: {@code downsample.0}, {@code downsample.1} (and
     * {@code downsample_sn} in SEW blocks). Head: {@code avgpool}, {@code fc}. The ANN's structure
     * equals torchvision's module names, where one {@code relu} module serves both activations of
     * a block.
     */
    public ModelStructure structure() {
        return structure;
    }

    /**
     * The fraction of neurons and time-steps that spiked in the last forward pass, per spiking layer
     * in forward order: {@code sn1}, {@code layer1.0.sn1}, {@code layer1.0.sn2},
     * ({@code layer2.0.downsample_sn} in SEW blocks), ... NaN before the first forward; empty for an
     * ANN.
     */
    public Map<String, Double> firingRates() {
        Map<String, Double> rates = new LinkedHashMap<>();
        spikingLayers.forEach((name, layer) -> rates.put(name, layer.lastFiringRate()));
        return rates;
    }

    /** T for a spiking network, 1 for an ANN. */
    public int timeSteps() {
        return timeSteps;
    }

    public boolean spiking() {
        return spiking;
    }

    /** Such as {@code resnet34}, {@code spiking-resnet18} or {@code sew-resnet18}: the depth counts convolutions and the classifier. */
    public String architecture() {
        return architecture;
    }

    public int inputChannels() {
        return inputChannels;
    }

    public int classes() {
        return classes;
    }

    public DataType dataType() {
        return dataType;
    }

    /** Settings of a {@link ResNet}; every setter is optional. */
    public static final class Builder {
        private int depth = 18;
        private int[] widths;
        private int[] blocksPerStage;
        private int classes = 10;
        private int inputChannels = 3;
        private NeuronFactory neuronFactory;
        private int timeSteps;
        private BlockType blockType = BlockType.SPIKING_BASIC;
        private BatchNormMode batchNormMode;
        private OptionalDouble tdbnInitialWeight = OptionalDouble.empty();
        private DataType dataType = DataType.FLOAT;
        private long seed;

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

        /** Outputs of the classifier; default 10. */
        public Builder optClasses(int classes) {
            this.classes = classes;
            return this;
        }

        /** Channels of the images; default 3. */
        public Builder optInputChannels(int inputChannels) {
            this.inputChannels = inputChannels;
            return this;
        }

        /**
         * Makes a spiking network over T time-steps instead of an ANN.
         *
         * @param neuronFactory called once per spiking layer with the layer's name
         * @param timeSteps T, at least 1
         */
        public Builder optSpiking(NeuronFactory neuronFactory, int timeSteps) {
            this.neuronFactory = Objects.requireNonNull(neuronFactory, "neuronFactory");
            this.timeSteps = timeSteps;
            return this;
        }

        /** The residual block of a spiking network; default {@link BlockType#SPIKING_BASIC}. */
        public Builder optBlockType(BlockType blockType) {
            this.blockType = Objects.requireNonNull(blockType, "blockType");
            return this;
        }

        /** BN of a spiking network; default {@link BatchNormMode#TDBN}. An ANN always uses BN. */
        public Builder optBatchNorm(BatchNormMode batchNormMode) {
            this.batchNormMode = Objects.requireNonNull(batchNormMode, "batchNormMode");
            return this;
        }

        /**
         * The initial BN weight in {@link BatchNormMode#TDBN}, for every BN layer. By default each
         * starts at the threshold of the neurons that take its output ({@link NeuronModel#threshold()};
         * 0.5 for IDSNN's LIF, 1 for {@code if}).
         */
        public Builder optTdbnInitialWeight(double weight) {
            this.tdbnInitialWeight = OptionalDouble.of(weight);
            return this;
        }

        /** FLOAT for training (default), DOUBLE for gradient checks. */
        public Builder optDataType(DataType dataType) {
            this.dataType = Objects.requireNonNull(dataType, "dataType");
            return this;
        }

        /** Seed of the initial weights; default 0. Equal settings and seeds give equal weights. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Makes the model, after checking that its parameters and their gradients fit in the memory
         * this process may still take ({@link MemoryBudget}), so that absurd sizes are refused
         * instead of crashing the JVM in native code.
         *
         * @throws IllegalArgumentException for an unknown depth, stage counts that disagree,
         *     non-positive sizes, options that only a spiking network has on an ANN, or
         *     parameters that do not fit in memory ({@link InsufficientMemoryException})
         */
        public ResNet build() {
            Layout layout = layout();
            MemoryEstimate parameters = memory(layout).estimate(1, Set.of(), Set.of());
            MemoryEstimate state = new MemoryEstimate(parameters.parameterBytes(), parameters.gradientBytes(), 0, 0, 0,
                    0);
            MemoryBudget budget = MemoryBudget.current();
            if (!budget.fits(state)) {
                throw new InsufficientMemoryException("the model's parameters and their gradients need "
                        + MemoryEstimate.format(state.totalBytes()) + ", more than the memory left: " + budget,
                        state, budget);
            }
            return new ResNet(this, layout.blocksPerStage(), layout.widths());
        }

        /**
         * The memory a model of these settings takes, estimated from its shapes without allocating
         * anything: parameters, gradients, momentum when it is trained, and for each batch size the
         * buffers its layers keep (time-steps times batch rows in a spiking network) and the
         * largest transient buffer of one operation. Every distinct batch size has buffers of its
         * own, so a smaller last batch counts as another size.
         *
         * @param imageSize height and width of the images
         * @param trainingBatches the batch sizes it trains on (SGD with momentum); empty when it is
         *     only evaluated
         * @param inferenceBatches the batch sizes it runs forward only on (evaluation, a teacher in
         *     distillation)
         * @throws IllegalArgumentException for settings {@link #build} refuses (memory aside), or
         *     sizes below 1
         */
        public MemoryEstimate estimateMemory(int imageSize, Collection<Integer> trainingBatches,
                                             Collection<Integer> inferenceBatches) {
            if (imageSize < 1 || Stream.concat(trainingBatches.stream(), inferenceBatches.stream()).anyMatch(b -> b < 1)) {
                throw new IllegalArgumentException("image size and batch sizes must be positive, got " + imageSize
                        + ", " + trainingBatches + " and " + inferenceBatches);
            }
            return memory(layout()).estimate(imageSize, new TreeSet<>(trainingBatches), new TreeSet<>(inferenceBatches));
        }

        private ResNetMemory memory(Layout layout) {
            return new ResNetMemory(layout.blocksPerStage(), layout.widths(), inputChannels, classes, timeSteps,
                    neuronFactory != null, blockType == BlockType.SEW_ADD, dataType.width());
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
            if (classes < 1 || inputChannels < 1) {
                throw new IllegalArgumentException("classes and input channels must be positive, got " + classes
                        + " and " + inputChannels);
            }
            if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
                throw new IllegalArgumentException("data type must be FLOAT or DOUBLE, got " + dataType);
            }
            if (neuronFactory == null) {
                if (blockType != BlockType.SPIKING_BASIC || batchNormMode == BatchNormMode.TDBN) {
                    throw new IllegalArgumentException("SEW blocks and tdBN need a spiking network (optSpiking)");
                }
            } else if (timeSteps < 1) {
                throw new IllegalArgumentException("time steps must be at least 1, got " + timeSteps);
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
