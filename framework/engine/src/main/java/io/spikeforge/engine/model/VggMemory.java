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
 * What a {@link Vgg} holds in memory, counted layer by layer from its configuration, as
 * {@link ResNetMemory} counts a ResNet's: every layer keeps its output buffer per batch shape, a
 * training forward keeps what backward needs, and the backward passes of the convolutions and BN
 * layers share gradient buffers by role and shape. Sizes are in doubles, never overflowing.
 */
final class VggMemory {
    private static final int KERNEL = 3;

    private final int[] layout;
    private final int inputChannels;
    private final int classes;
    private final int timeSteps;
    private final boolean spiking;
    private final ActivationLayout activationLayout;
    private final double elementBytes;
    private final DoubleSupplier neuronState;
    private final BooleanSupplier batchNormDeferred;

    /**
     * @param layout the widths of the convolutions, with {@link Vgg#POOL} where a pooling layer sits
     * @param neuronState tensors of their current's size that trained neurons keep
     *     ({@link NeuronFactory#trainingBytesPerElement} in elements), asked only for a trained spiking model
     * @param batchNormDeferred whether the BN layers leave their output to the neurons after them
     *     ({@link ModelSettings#optFusedBatchNorm}); asked only when batches are estimated
     */
    VggMemory(int[] layout, int inputChannels, int classes, int timeSteps, boolean spiking,
              ActivationLayout activationLayout, int elementBytes, DoubleSupplier neuronState,
              BooleanSupplier batchNormDeferred) {
        this.batchNormDeferred = batchNormDeferred;
        this.layout = layout.clone();
        this.inputChannels = inputChannels;
        this.classes = classes;
        this.timeSteps = spiking ? timeSteps : 1;
        this.spiking = spiking;
        this.activationLayout = activationLayout;
        this.elementBytes = elementBytes;
        this.neuronState = neuronState;
    }

    /** See {@link ModelBuilder#estimateMemory}. */
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
        double convolutionWeights = 0;
        double convolutionBiases = 0;
        double batchNormChannels = 0;
        int in = inputChannels;
        for (int width : layout) {
            if (width != Vgg.POOL) {
                convolutionWeights += (double) in * width * KERNEL * KERNEL;
                convolutionBiases += width;
                batchNormChannels += width;
                in = width;
            }
        }
        double values = convolutionWeights + convolutionBiases + 2 * batchNormChannels + (double) in * classes + classes;
        return new MemoryEstimate(
                elementBytes * (values + 2 * batchNormChannels),
                // a convolution's backward adds its weight gradient through a scratch array
                elementBytes * (values + (trained ? convolutionWeights + convolutionBiases : 0)),
                trained ? elementBytes * values : 0,
                elementBytes * activations,
                elementBytes * workspace,
                0);
    }

    /** One batch size through the model, adding up buffers (in elements). */
    private final class Walk {
        private final double rows;
        private final boolean training;
        private double forward;
        private double backward;
        private double workspace;
        private double largestMap;
        private final Map<String, Double> pool = new HashMap<>();
        /** Whether the BN layers before neurons leave their output to them. */
        private final boolean deferred;

        Walk(int imageSize, int batch, boolean training, boolean inference, double kept, boolean deferred) {
            this.deferred = deferred;
            this.rows = (double) timeSteps * batch;
            this.training = training;
            double side = imageSize;
            double in = (double) inputChannels * side * side;
            if (activationLayout != ActivationLayout.NCHW) {
                // the model's copy of the images in its layout, and of their gradient back in NCHW
                forward += batch * in;
                backward += batch * in;
            }
            boolean first = true;
            for (int width : layout) {
                if (width == Vgg.POOL) {
                    double pooled = Math.ceil(side / 2);
                    double out = in / (side * side) * pooled * pooled;
                    forward += rows * out;
                    backward += rows * in; // the pooling layer's input gradient
                    side = pooled;
                    in = out;
                    continue;
                }
                double out = width * side * side;
                double samples = first ? batch : rows;
                convolution(samples, in, out);
                forward += samples * out;
                if (first) {
                    backward += batch * in; // the images' gradient, the convolution's own buffer
                    if (spiking) {
                        forward += rows * out; // repeated over T
                        backward += (double) batch * out; // the summed gradient of the repeats
                    }
                } else {
                    pool.put("convolution/" + in, rows * in);
                }
                if (!deferred) {
                    forward += rows * out; // BN
                } else if (inference) {
                    forward += (double) batch * out; // BN's one step when stepping through time, apart from the neurons
                }
                pool.put("batchNorm/" + out, rows * out);
                largestMap = Math.max(largestMap, out);
                forward += rows * out; // activation: output, and spikes or ReLU's state
                if (spiking && inference) {
                    forward += (double) batch * out; // one step's potential
                }
                backward += kept * rows * out; // ReLU's input gradient, or what the neurons keep
                in = out;
                first = false;
            }
            double features = in / (side * side);
            // head: pooling, the mean over T, the classifier and the loss
            forward += rows * features + (double) batch * features + 3.0 * batch * classes;
            backward += rows * in + rows * features + (double) batch * features + (double) batch * classes;
            if (spiking) {
                workspace = Math.max(workspace, 2.0 * batch * largestMap);
            }
        }

        private void convolution(double samples, double inSize, double outSize) {
            workspace = Math.max(workspace, Conv2d.workspaceElements(activationLayout, samples, inSize, outSize,
                    training));
        }

        double activations() {
            if (!training) {
                return forward;
            }
            return forward + backward + pool.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }
}
