package io.spikeforge.engine.model;

import io.spikeforge.engine.layer.Conv2d;
import io.spikeforge.engine.layer.Layer;
import io.spikeforge.engine.layer.Linear;
import io.spikeforge.api.model.Parameter;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * torchvision's ResNet initialization, drawn from one seeded generator in state-dict order, so the
 * same seed gives the same weights on any backend and regardless of ND4J's global random state:
 * convolutions kaiming normal with mode fan_out for ReLU ({@code N(0, 2 / (out * kH * kW))}), the
 * linear layer PyTorch's default ({@code U(-1/sqrt(in), 1/sqrt(in))} for weight and bias); a
 * convolution's bias, where it has one (VGG), starts at zero as in torchvision's VGG. BN layers keep
 * the weight and bias they were made with.
 */
final class SeededInitialization {
    private SeededInitialization() {
    }

    static void apply(Map<String, Layer> layersWithTensors, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (Layer layer : layersWithTensors.values()) {
            if (layer instanceof DirectEncodingStem stem) {
                kaimingNormalFanOut(stem.convolution(), random);
            } else if (layer instanceof Conv2d convolution) {
                kaimingNormalFanOut(convolution, random);
            } else if (layer instanceof Linear linear) {
                double bound = 1 / Math.sqrt(linear.inFeatures());
                for (Parameter parameter : linear.parameters()) {
                    fill(parameter.value(), () -> bound * (2 * random.nextDouble() - 1));
                }
            }
        }
    }

    private static void kaimingNormalFanOut(Conv2d convolution, SplittableRandom random) {
        long fanOut = (long) convolution.outChannels() * convolution.kernelSize() * convolution.kernelSize();
        double std = Math.sqrt(2.0 / fanOut);
        fill(convolution.weight().value(), () -> std * random.nextGaussian());
        convolution.parameters().stream().filter(p -> p.name().equals("bias")).forEach(p -> p.value().assign(0));
    }

    private static void fill(INDArray target, DoubleSupplier values) {
        double[] drawn = new double[Math.toIntExact(target.length())];
        for (int i = 0; i < drawn.length; i++) {
            drawn[i] = values.getAsDouble();
        }
        target.assign(Nd4j.create(drawn, target.shape(), target.dataType()));
    }
}
