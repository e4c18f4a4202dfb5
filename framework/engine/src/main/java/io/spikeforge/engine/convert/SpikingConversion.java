package io.spikeforge.engine.convert;

import io.spikeforge.engine.data.Batch;
import io.spikeforge.engine.energy.EnergyReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

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
 *
 * <p>Not thread-safe.
 */
public final class SpikingConversion {
    private SpikingConversion() {
    }

    /** The conversion's settings. */
    public ConversionSettings settings() {
        throw new UnsupportedOperationException("not yet");
    }

    /** The spiking sites in forward order. */
    public List<String> sites() {
        throw new UnsupportedOperationException("not yet");
    }

    /** The thresholds by site in forward order, {@code [1]} or {@code [channels]}, copies. */
    public Map<String, INDArray> thresholds() {
        throw new UnsupportedOperationException("not yet");
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
        throw new UnsupportedOperationException("not yet");
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
        throw new UnsupportedOperationException("not yet");
    }

    /** The ANN's MACs per image of the given size, layer by layer. */
    public EnergyReport annEnergy(int height, int width) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Writes the settings and thresholds as a safetensors file (one tensor per site, the settings
     * and the architecture in its metadata), atomically; {@link Conversion#load} reads it back.
     */
    public void save(Path file) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }
}
