package io.spikeforge.engine.convert;

import io.spikeforge.api.convert.ConversionError;
import io.spikeforge.api.convert.LayerCalibration;
import io.spikeforge.api.convert.ThresholdStrategy;
import io.spikeforge.engine.model.Model;
import io.spikeforge.engine.model.Pooling2d;
import io.spikeforge.engine.model.ResNet;
import io.spikeforge.engine.model.Vgg;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Tiny networks with non-trivial BN statistics, images and simple strategies for the conversion tests. */
final class ConversionFixtures {
    private ConversionFixtures() {
    }

    /** ResNet of two stages of one block (widths 3 and 4, so the second block projects), 1 input channel, 3 classes. */
    static ResNet tinyResNet(DataType dataType, long seed) {
        ResNet model = ResNet.builder().optWidths(3, 4).optBlocksPerStage(1).optInputChannels(1).optClasses(3)
                .optDataType(dataType).optSeed(seed).build();
        randomizeBatchNorm(model, seed);
        return model;
    }

    /** VGG-11 with widths 2 to 3 and average pooling, 1 input channel, 3 classes. */
    static Vgg tinyVgg(DataType dataType, long seed) {
        Vgg model = Vgg.builder().optWidths(2, 3, 3, 3, 3, 3, 3, 3).optPooling(Pooling2d.Mode.AVERAGE)
                .optInputChannels(1).optClasses(3).optDataType(dataType).optSeed(seed).build();
        randomizeBatchNorm(model, seed);
        return model;
    }

    /** BN statistics and affine parameters that make folding matter (a trained network's are not 0/1). */
    static void randomizeBatchNorm(Model model, long seed) {
        Random random = new Random(seed);
        for (String name : model.stateDict().names()) {
            INDArray tensor = model.stateDict().get(name);
            double[] values = new double[(int) tensor.length()];
            if (name.endsWith("running_mean") || name.endsWith(".bias") && isBatchNorm(model, name)) {
                Arrays.setAll(values, i -> 0.3 * random.nextGaussian());
            } else if (name.endsWith("running_var")) {
                Arrays.setAll(values, i -> 0.5 + random.nextDouble());
            } else if (name.endsWith(".weight") && isBatchNorm(model, name)) {
                Arrays.setAll(values, i -> 0.7 + 0.6 * random.nextDouble());
            } else {
                continue;
            }
            tensor.assign(Nd4j.create(values, tensor.shape(), tensor.dataType()));
        }
    }

    /** Adds {@code shift} to every BN bias. */
    static void shiftBatchNormBiases(Model model, double shift) {
        for (String name : model.stateDict().names()) {
            if (name.endsWith(".bias") && isBatchNorm(model, name)) {
                model.stateDict().get(name).addi(shift);
            }
        }
    }

    private static boolean isBatchNorm(Model model, String name) {
        String prefix = name.substring(0, name.lastIndexOf('.'));
        return model.stateDict().names().contains(prefix + ".running_mean");
    }

    /** Images {@code [n, 1, size, size]} with entries uniform in [0, 1) from {@code seed}. */
    static INDArray images(long seed, int n, int size, DataType dataType) {
        Random random = new Random(seed);
        double[] values = new double[n * size * size];
        Arrays.setAll(values, i -> random.nextDouble());
        return Nd4j.create(values, new long[] {n, 1, size, size}, dataType);
    }

    /** Thresholds at the largest ANN activation of the site (per layer or per channel). */
    static final class MaxStrategy implements ThresholdStrategy {
        @Override
        public INDArray thresholds(LayerCalibration layer) {
            INDArray a = layer.annActivations();
            double[] max = new double[layer.thresholdCount()];
            if (max.length == 1) {
                max[0] = a.maxNumber().doubleValue();
            } else {
                for (int c = 0; c < max.length; c++) {
                    max[c] = a.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.point(c)).maxNumber().doubleValue();
                }
            }
            for (int k = 0; k < max.length; k++) {
                max[k] = Math.max(max[k], 1e-3);
            }
            return Nd4j.createFromArray(max);
        }
    }

    /** A strategy that records what it saw, delegating to another. */
    static final class RecordingStrategy implements ThresholdStrategy {
        record Call(String layer, long[] shape, int thresholdCount, int timeSteps, INDArray thresholds,
                    ConversionError error) {
        }

        final List<Call> calls = new ArrayList<>();
        private final ThresholdStrategy delegate;

        RecordingStrategy(ThresholdStrategy delegate) {
            this.delegate = delegate;
        }

        @Override
        public INDArray thresholds(LayerCalibration layer) {
            INDArray chosen = delegate.thresholds(layer);
            calls.add(new Call(layer.layerName(), layer.annActivations().shape(), layer.thresholdCount(),
                    layer.timeSteps(), chosen, layer.measure(chosen)));
            return chosen;
        }
    }
}
