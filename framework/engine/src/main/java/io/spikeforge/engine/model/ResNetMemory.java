package io.spikeforge.engine.model;

import io.spikeforge.engine.layer.ActivationLayout;
import io.spikeforge.engine.layer.Conv2d;
import io.spikeforge.engine.tensor.MemoryEstimate;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;

/**
 * What a {@link ResNet} holds in memory, counted layer by layer as its layers allocate, from the
 * settings alone. Every layer keeps its own output buffer for each batch shape it sees (see
 * {@code BufferCache}), a training forward keeps what backward needs (spiking neurons: what they
 * report, {@link NeuronFactory#trainingBytesPerElement}; ReLU: its input gradient), and the backward
 * passes share gradient buffers by role and shape. Sizes are in doubles: absurd settings give
 * absurd numbers, never an overflow.
 */
final class ResNetMemory {
    private static final int KERNEL = 3;

    private final int[] blocksPerStage;
    private final int[] widths;
    private final int inputChannels;
    private final int classes;
    private final int timeSteps;
    private final boolean spiking;
    private final ActivationLayout activationLayout;
    private final boolean sew;
    private final double elementBytes;
    private final DoubleSupplier neuronState;
    private final BooleanSupplier batchNormDeferred;

    /**
     * @param batchNormDeferred whether the BN layers directly before neurons leave their output to
     *     them ({@link ModelSettings#optFusedBatchNorm}); asked only when batches are estimated
     */
    ResNetMemory(int[] blocksPerStage, int[] widths, int inputChannels, int classes, int timeSteps, boolean spiking,
                 boolean sew, ActivationLayout activationLayout, int elementBytes, DoubleSupplier neuronState,
                 BooleanSupplier batchNormDeferred) {
        this.batchNormDeferred = batchNormDeferred;
        this.blocksPerStage = blocksPerStage.clone();
        this.widths = widths.clone();
        this.inputChannels = inputChannels;
        this.classes = classes;
        this.timeSteps = spiking ? timeSteps : 1;
        this.spiking = spiking;
        this.sew = sew;
        this.activationLayout = activationLayout;
        this.elementBytes = elementBytes;
        this.neuronState = neuronState;
    }

    /**
     * @param imageSize height and width of the images
     * @param trainingBatches batch sizes the model trains on
     * @param inferenceBatches batch sizes it runs forward only on
     */
    MemoryEstimate estimate(int imageSize, Set<Integer> trainingBatches, Set<Integer> inferenceBatches) {
        boolean trained = !trainingBatches.isEmpty();
        Set<Integer> batches = new TreeSet<>(trainingBatches);
        batches.addAll(inferenceBatches);
        double activations = 0;
        double workspace = 0;
        double kept = spiking && trained ? neuronState.getAsDouble() : 1;
        boolean deferred = spiking && !batches.isEmpty() && batchNormDeferred.getAsBoolean();
        for (int batch : batches) {
            Walk walk = new Walk(imageSize, batch, trainingBatches.contains(batch), inferenceBatches.contains(batch),
                    kept, deferred);
            activations += walk.activations();
            workspace = Math.max(workspace, walk.workspace);
        }
        Parameters parameters = parameters();
        return new MemoryEstimate(
                elementBytes * (parameters.values + parameters.state),
                // Parameter allocates its gradient with the model; a convolution's backward adds its
                // weight gradient through a scratch array of the weight's shape
                elementBytes * (parameters.values + (trained ? parameters.convolutionWeights : 0)),
                trained ? elementBytes * parameters.values : 0,
                elementBytes * activations,
                elementBytes * workspace,
                0);
    }

    /** Parameter counts of the model. */
    private record Parameters(double values, double state, double convolutionWeights) {
    }

    private Parameters parameters() {
        double convolutions = (double) inputChannels * widths[0] * KERNEL * KERNEL;
        double batchNormChannels = widths[0];
        int in = widths[0];
        for (int s = 0; s < widths.length; s++) {
            for (int b = 0; b < blocksPerStage[s]; b++) {
                int out = widths[s];
                convolutions += (double) in * out * KERNEL * KERNEL + (double) out * out * KERNEL * KERNEL;
                batchNormChannels += 2.0 * out;
                if (projection(in, out, stride(s, b))) {
                    convolutions += (double) in * out;
                    batchNormChannels += out;
                }
                in = out;
            }
        }
        double classifier = (double) in * classes + classes;
        return new Parameters(convolutions + 2 * batchNormChannels + classifier, 2 * batchNormChannels, convolutions);
    }

    static int stride(int stage, int block) {
        return stage > 0 && block == 0 ? 2 : 1;
    }

    static boolean projection(int in, int out, int stride) {
        return stride != 1 || in != out;
    }

    /** One batch size through the model, adding up buffers (in elements). */
    private final class Walk {
        private final int batch;
        private final double rows;
        private final boolean training;
        private final boolean inference;
        private double forward;
        private double backward;
        private double workspace;
        /** The largest activation of one sample at one time-step, for the neurons' shared work space. */
        private double largestMap;
        /** Gradient pool buffers by role and size: the same role and shape share one buffer. */
        private final Map<String, Double> pool = new HashMap<>();
        /** Whether the BN layers before neurons leave their output to them. */
        private final boolean deferred;
        /** Tensors of their current's size that trained neurons keep (or ReLU: its input gradient). */
        private final double kept;

        Walk(int imageSize, int batch, boolean training, boolean inference, double kept, boolean deferred) {
            this.deferred = deferred;
            this.kept = kept;
            this.batch = batch;
            this.rows = (double) timeSteps * batch;
            this.training = training;
            this.inference = inference;
            double side = imageSize;
            double images = (double) inputChannels * side * side;
            imagesInLayout(images);
            double mapSize = widths[0] * side * side;
            // stem: the convolution runs once on the images (repeated T times when spiking), BN, neurons
            convolution(batch, images, mapSize);
            forward += (double) batch * mapSize;
            if (spiking) {
                forward += rows * mapSize;
                backward += (double) batch * mapSize;
            }
            backward += (double) batch * images; // the stem convolution's own input gradient
            pooled("batchNorm", mapSize);
            batchNormBeforeNeurons(mapSize);
            activation(mapSize);
            int in = widths[0];
            for (int s = 0; s < widths.length; s++) {
                for (int b = 0; b < blocksPerStage[s]; b++) {
                    int stride = stride(s, b);
                    int out = widths[s];
                    double inSize = in * side * side;
                    side = stride == 1 ? side : Math.floor((side - 1) / 2) + 1;
                    double outSize = out * side * side;
                    block(inSize, outSize, projection(in, out, stride));
                    in = out;
                }
            }
            double finalMap = in * side * side;
            // head: pooling, the mean over T, the classifier and the loss
            forward += rows * in + (double) batch * in + 3.0 * batch * classes;
            backward += rows * in + rows * finalMap + (double) batch * in + rows * in + (double) batch * classes;
            if (spiking) {
                // the lif neurons share a work space of two steps of the largest layer
                workspace = Math.max(workspace, 2.0 * batch * largestMap);
            }
        }

        private void block(double inSize, double outSize, boolean projection) {
            convolution(rows, inSize, outSize); // conv1
            forward += rows * outSize;
            pooled("convolution", inSize);
            batchNormBeforeNeurons(outSize); // bn1
            pooled("batchNorm", outSize);
            activation(outSize);
            convolution(rows, outSize, outSize); // conv2
            forward += rows * outSize;
            pooled("convolution", outSize);
            if (sew) {
                batchNormBeforeNeurons(outSize); // bn2
                activation(outSize);
            } else {
                forward += rows * outSize; // bn2
            }
            if (projection) {
                convolution(rows, inSize, outSize);
                forward += rows * outSize; // downsample.0
                pooled("shortcutConvolution", inSize);
                if (sew) {
                    batchNormBeforeNeurons(outSize); // downsample.1
                    activation(outSize);
                } else {
                    forward += rows * outSize; // downsample.1
                }
            }
            forward += rows * outSize; // the addition
            pooled("block", inSize);
            if (!sew) {
                activation(outSize);
            }
        }

        /**
         * The output of a BN layer that neurons take directly: none where BN leaves it to them,
         * but for inference one step's (stepping through time runs BN apart from the neurons).
         */
        private void batchNormBeforeNeurons(double size) {
            if (!deferred) {
                forward += rows * size;
            } else if (inference) {
                forward += (double) batch * size;
            }
        }

        /**
         * ReLU keeps its output and, trained, its input gradient; neurons their spikes and, trained,
         * what they report (lif: the potentials, which become the input gradient).
         */
        private void activation(double size) {
            largestMap = Math.max(largestMap, size);
            forward += rows * size;
            if (spiking && inference) {
                forward += (double) batch * size; // one step's potential
            }
            backward += kept * rows * size;
        }

        private void convolution(double samples, double inSize, double outSize) {
            workspace = Math.max(workspace, Conv2d.workspaceElements(activationLayout, samples, inSize, outSize,
                    training));
        }

        /** The model's copy of the images in its layout, and of their gradient back in NCHW. */
        private void imagesInLayout(double images) {
            if (activationLayout != ActivationLayout.NCHW) {
                forward += batch * images;
                backward += batch * images;
            }
        }

        private void pooled(String role, double size) {
            pool.put(role + "/" + size, rows * size);
        }

        double activations() {
            if (!training) {
                return forward;
            }
            return forward + backward + pool.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }
}
