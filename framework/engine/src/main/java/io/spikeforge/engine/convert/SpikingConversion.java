package io.spikeforge.engine.convert;

import io.spikeforge.engine.data.Batch;
import io.spikeforge.engine.energy.EnergyReport;
import io.spikeforge.engine.energy.LayerOperations;
import io.spikeforge.engine.train.Predictions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A converted spiking network: the folded ANN of a {@link Conversion} with integrate-and-fire
 * neurons (soft reset) at its sites and their thresholds. Inference steps through time keeping
 * only each neuron's membrane potential (never all T steps): the first convolution takes the
 * real-valued image at every step (direct encoding), each neuron's spike carries its threshold,
 * and the logits at T are the mean of the classifier's outputs over the first T steps.
 *
 * <p>Energy ({@link EnergyReport} per image): a layer whose input is the image does its
 * multiply-accumulates (MACs) at every step; every other layer with weights does accumulates,
 * its MACs times the fraction of its input's elements that are non-zero at that step (a spike, or
 * an average-pooled window holding a spike), summed over the steps; the classifier takes the
 * global average of the last site's spikes and is counted the same way. The ANN does its MACs once.
 * (The encoding layer's output is the same at every step, so the engine computes it once per
 * batch; it is counted at every step, as a network fed the image at every step would run it.)
 *
 * <p>Not thread-safe.
 */
public final class SpikingConversion {
    private final Conversion conversion;
    private final ConversionSettings settings;
    private final Network network;

    SpikingConversion(Conversion conversion, ConversionSettings settings, Network network) {
        this.conversion = conversion;
        this.settings = settings;
        this.network = network;
    }

    /** The conversion's settings. */
    public ConversionSettings settings() {
        return settings;
    }

    /** The conversion it was made from. */
    public Conversion conversion() {
        return conversion;
    }

    /** The spiking sites in forward order. */
    public List<String> sites() {
        return network.sites().stream().map(Node.Site::name).toList();
    }

    /** The thresholds by site in forward order, {@code [1]} or {@code [channels]}, copies in the model's data type. */
    public Map<String, INDArray> thresholds() {
        Map<String, INDArray> thresholds = new LinkedHashMap<>();
        for (Node.Site site : network.sites()) {
            thresholds.put(site.name(), Nd4j.createFromArray(site.neurons().thresholds()).castTo(network.dataType()));
        }
        return thresholds;
    }

    /**
     * Evaluates the spiking network and the ANN on every batch, the spiking network in one pass up
     * to the largest T.
     *
     * @param batches the images and labels, in the model's data type
     * @param timeSteps the T to report, positive, in any order
     * @param progress told after each batch (total -1)
     * @throws IllegalArgumentException when there are no images or no time-steps
     */
    public ConversionEvaluation evaluate(Iterator<Batch> batches, int[] timeSteps, ConversionProgress progress) {
        Objects.requireNonNull(batches, "batches");
        Objects.requireNonNull(progress, "progress");
        int[] steps = checkTimeSteps(timeSteps);
        int maxSteps = steps[steps.length - 1];
        List<Node.Weighted> layers = network.weightedLayers();
        Map<Node.Weighted, Integer> index = new IdentityHashMap<>();
        layers.forEach(layer -> index.put(layer, index.size()));
        double[] annOperations = new double[layers.size()];
        double[][] accumulates = new double[steps.length][layers.size()];
        double[][] multiplyAccumulates = new double[steps.length][layers.size()];
        long[] correct = new long[steps.length];
        long annCorrect = 0;
        long[] events = new long[network.sites().size()];
        long[] neuronSteps = new long[network.sites().size()];
        int images = 0;
        int batchNumber = 0;
        while (batches.hasNext()) {
            Batch batch = batches.next();
            INDArray input = batch.images();
            conversion.checkImages(input, "batch " + batchNumber);
            int size = batch.size();
            boolean first = images == 0;
            INDArray annLogits = network.annForward(input, null,
                    first ? (layer, macs) -> annOperations[index.get(layer)] = macs : null);
            annCorrect += Predictions.correct(annLogits, batch.labels());
            double[][] running = new double[layers.size()][2];
            Network.Operations operations = (layer, acc, macs) -> {
                running[index.get(layer)][0] += acc;
                running[index.get(layer)][1] += macs;
            };
            network.reset(false, true);
            INDArray logitSum = null;
            for (int step = 0, k = 0; step < maxSteps; step++) {
                INDArray logits = network.step(input, step, operations);
                logitSum = logitSum == null ? logits.dup() : logitSum.addi(logits);
                if (step + 1 == steps[k]) {
                    // the mean over the steps has its largest value where the sum has
                    correct[k] += Predictions.correct(logitSum, batch.labels());
                    for (int l = 0; l < layers.size(); l++) {
                        accumulates[k][l] += running[l][0];
                        multiplyAccumulates[k][l] += running[l][1];
                    }
                    k++;
                }
            }
            for (int s = 0; s < events.length; s++) {
                IfNeurons neurons = network.sites().get(s).neurons();
                events[s] += neurons.events();
                neuronSteps[s] += neurons.membrane().length() * (long) maxSteps;
            }
            images += size;
            progress.update(++batchNumber, -1, "batch " + batchNumber);
        }
        if (images == 0) {
            throw new IllegalArgumentException("no images to evaluate on");
        }
        TreeMap<Integer, Double> accuracy = new TreeMap<>();
        TreeMap<Integer, EnergyReport> energy = new TreeMap<>();
        for (int k = 0; k < steps.length; k++) {
            accuracy.put(steps[k], (double) correct[k] / images);
            List<LayerOperations> operations = new ArrayList<>();
            for (int l = 0; l < layers.size(); l++) {
                operations.add(new LayerOperations(layers.get(l).name(), accumulates[k][l] / images,
                        multiplyAccumulates[k][l] / images));
            }
            energy.put(steps[k], new EnergyReport(operations, steps[k]));
        }
        Map<String, Double> firingRates = new LinkedHashMap<>();
        for (int s = 0; s < events.length; s++) {
            firingRates.put(network.sites().get(s).name(), (double) events[s] / neuronSteps[s]);
        }
        List<LayerOperations> annLayers = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            annLayers.add(new LayerOperations(layers.get(l).name(), 0, annOperations[l]));
        }
        return new ConversionEvaluation(images, (double) annCorrect / images, accuracy, energy,
                new EnergyReport(annLayers, 1), firingRates);
    }

    /**
     * Measures each site's conversion errors and input statistics at each T on the images, in one
     * pass up to the largest T per batch.
     *
     * @param imageBatches images {@code [B, C, H, W]} in the model's data type
     * @param timeSteps the T to report
     * @return one row per T (ascending) and site (forward order)
     */
    public List<ConversionErrorRow> analyseErrors(List<INDArray> imageBatches, int[] timeSteps) {
        int[] steps = checkTimeSteps(timeSteps);
        if (imageBatches.isEmpty()) {
            throw new IllegalArgumentException("the error analysis needs at least one batch of images");
        }
        for (int b = 0; b < imageBatches.size(); b++) {
            conversion.checkImages(imageBatches.get(b), "analysis batch " + b);
        }
        return new ErrorAnalysis(network, settings.initialMembrane(), steps).run(imageBatches);
    }

    /** The ANN's MACs per image of the given size, layer by layer. */
    public EnergyReport annEnergy(int height, int width) {
        INDArray image = Nd4j.zeros(network.dataType(), 1, conversion.ann().inputChannels(), height, width);
        List<LayerOperations> layers = new ArrayList<>();
        network.annForward(image, null, (layer, macs) -> layers.add(new LayerOperations(layer.name(), 0, macs)));
        return new EnergyReport(layers, 1);
    }

    /**
     * Writes the settings and thresholds as a safetensors file (one tensor per site, the settings
     * and the architecture in its metadata), atomically; {@link Conversion#load} reads it back.
     * Thresholds are stored as 32-bit floats.
     */
    public void save(Path file) throws IOException {
        ConversionFile.write(file, this);
    }

    /** The network, for tests and the file format. */
    Network network() {
        return network;
    }

    private static int[] checkTimeSteps(int[] timeSteps) {
        Objects.requireNonNull(timeSteps, "timeSteps");
        int[] steps = Arrays.stream(timeSteps).sorted().distinct().toArray();
        if (steps.length == 0 || steps[0] < 1) {
            throw new IllegalArgumentException("time-steps must be positive numbers, at least one, got "
                    + Arrays.toString(timeSteps));
        }
        return steps;
    }
}
