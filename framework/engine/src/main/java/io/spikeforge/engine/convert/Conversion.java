package io.spikeforge.engine.convert;

import io.spikeforge.api.convert.ThresholdStrategy;
import io.spikeforge.engine.model.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained ANN prepared for conversion: its layers with every BatchNorm folded into the
 * convolution before it (a weight and a bias, computed in double and stored in the model's data
 * type), and its activations as the sites where spiking neurons go. The ANN itself is left as it
 * is; this holds copies of its weights.
 *
 * <p>Takes the engine's ANN {@link io.spikeforge.engine.model.ResNet} of any depth and
 * {@link io.spikeforge.engine.model.Vgg} with average pooling; activations are the engine's ReLU
 * or a plugin's {@link io.spikeforge.engine.layer.PluginActivation}, whose own forward is the ANN
 * reference. Max pooling is refused: the maximum of spike trains is not the spike train of the
 * maximum (build the VGG with average pooling to convert it).
 */
public final class Conversion {
    private Conversion() {
    }

    /**
     * Folds an ANN.
     *
     * @param ann a trained ANN made by the engine's ResNet or VGG builder (not spiking)
     * @throws IllegalArgumentException for a spiking model, another kind of model, max pooling, or
     *     a layer it cannot convert (named by its state-dict prefix)
     */
    public static Conversion of(Model ann) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The ANN it was made from. */
    public Model ann() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * The folded ANN's logits in evaluation mode; equal to the ANN's own up to rounding.
     *
     * @param images {@code [B, C, H, W]} in the model's data type
     * @return {@code [B, classes]}, a new array
     */
    public INDArray annLogits(INDArray images) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The names of the spiking sites a placement gives, in forward order. */
    public List<String> sites(NeuronPlacement placement) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Calibrates the spiking network layer by layer in forward order: for each site the strategy
     * sees the pure ANN's activations there and can measure the error of candidate thresholds on
     * the site's actual input from the already converted layers before it; the chosen thresholds
     * are fixed and the site's spikes go on to the next layer. Keeps the spike trains of
     * {@link ConversionSettings#calibrationTimeSteps()} steps of the current layer (and of a
     * residual block's input) for every calibration image: one pass over the layers.
     *
     * @param calibrationBatches images {@code [B, C, H, W]} in the model's data type, at least one
     * @param progress told after each site
     * @throws IllegalArgumentException when the strategy returns thresholds of the wrong count, not
     *     positive or not finite (naming the strategy and the site), or rejects a site
     */
    public SpikingConversion convert(ConversionSettings settings, ThresholdStrategy strategy,
                                     List<INDArray> calibrationBatches, ConversionProgress progress) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * The spiking network with given thresholds, without calibration.
     *
     * @param thresholds per site of the placement, {@code [1]} or {@code [channels]} per the granularity
     * @throws IllegalArgumentException naming the site for a missing or extra site, a wrong count, or
     *     a threshold that is not positive and finite
     */
    public SpikingConversion withThresholds(ConversionSettings settings, Map<String, INDArray> thresholds) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Loads a conversion saved by {@link SpikingConversion#save}: its settings and thresholds,
     * checked against this network.
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException naming the file when it is not a saved conversion or does not
     *     match this network (architecture, sites, threshold counts)
     */
    public SpikingConversion load(Path file) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }
}
