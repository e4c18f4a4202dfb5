package io.spikeforge.engine.convert;

import io.spikeforge.api.convert.ThresholdGranularity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The per-site conversion errors and input statistics of {@link ConversionErrorRow}, measured at
 * several T in one pass per batch: the ANN's activations give the quantization errors, then the
 * spiking network runs up to the largest T with running sums of each neuron's input current, its
 * square and its spikes, read at each requested T.
 */
final class ErrorAnalysis {
    private final Network network;
    private final double initialMembrane;
    private final int[] steps;
    private final List<Node.Site> sites;
    private final Map<Node.Site, Integer> index = new IdentityHashMap<>();
    /** Per site and T: sums over neurons and images. */
    private final double[][] quantization;
    private final double[][] deviation;
    private final double[][] inputMean;
    private final double[][] inputVariance;
    private final long[][] events;
    /** Per site: neurons (elements of one step) over the images. */
    private final long[] elements;

    ErrorAnalysis(Network network, double initialMembrane, int[] steps) {
        this.network = network;
        this.initialMembrane = initialMembrane;
        this.steps = steps.clone();
        this.sites = network.sites();
        sites.forEach(site -> index.put(site, index.size()));
        int count = sites.size();
        quantization = new double[count][steps.length];
        deviation = new double[count][steps.length];
        inputMean = new double[count][steps.length];
        inputVariance = new double[count][steps.length];
        events = new long[count][steps.length];
        elements = new long[count];
    }

    List<ConversionErrorRow> run(List<INDArray> imageBatches) {
        for (INDArray images : imageBatches) {
            network.annForward(images, this::quantization, null);
            network.reset(true, true);
            int maxSteps = steps[steps.length - 1];
            for (int step = 0, k = 0; step < maxSteps; step++) {
                network.step(images, step, null);
                if (step + 1 == steps[k]) {
                    for (Node.Site site : sites) {
                        spiking(site, k, steps[k]);
                    }
                    k++;
                }
            }
        }
        List<ConversionErrorRow> rows = new ArrayList<>();
        for (int k = 0; k < steps.length; k++) {
            for (Node.Site site : sites) {
                int s = index.get(site);
                double n = elements[s];
                double meanThreshold = Arrays.stream(site.neurons().thresholds()).average().orElseThrow();
                rows.add(new ConversionErrorRow(steps[k], site.name(), quantization[s][k] / n, deviation[s][k] / n,
                        inputMean[s][k] / n, inputVariance[s][k] / n, meanThreshold,
                        events[s][k] / (n * steps[k])));
            }
        }
        return rows;
    }

    private void quantization(Node.Site site, INDArray activation) {
        int s = index.get(site);
        IfNeurons neurons = site.neurons();
        INDArray thresholdMap = IfNeurons.thresholdMap(neurons.thresholds(), activation.shape(),
                activation.dataType());
        for (int k = 0; k < steps.length; k++) {
            INDArray quantized = Quantization.quantize(activation, thresholdMap, steps[k], initialMembrane,
                    neurons.signed());
            quantization[s][k] += Quantization.squaredErrorSums(activation, quantized, ThresholdGranularity.LAYER)[0];
        }
        elements[s] += activation.length();
    }

    private void spiking(Node.Site site, int k, int timeSteps) {
        int s = index.get(site);
        IfNeurons neurons = site.neurons();
        INDArray thresholdMap = neurons.thresholdMap();
        INDArray mean = neurons.inputSum().div(timeSteps);
        INDArray variance = neurons.inputSquareSum().div(timeSteps).subi(mean.mul(mean));
        Transforms.max(variance, 0.0, false);
        INDArray rate = neurons.spikeSum().mul(thresholdMap).divi(timeSteps);
        INDArray quantizedMean = Quantization.quantize(mean, thresholdMap, timeSteps, initialMembrane,
                neurons.signed());
        deviation[s][k] += Quantization.squaredErrorSums(rate, quantizedMean, ThresholdGranularity.LAYER)[0];
        inputMean[s][k] += mean.sumNumber().doubleValue();
        inputVariance[s][k] += variance.sumNumber().doubleValue();
        events[s][k] += neurons.events();
    }
}
