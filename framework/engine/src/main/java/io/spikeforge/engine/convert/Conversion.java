package io.spikeforge.engine.convert;

import io.spikeforge.api.convert.ThresholdGranularity;
import io.spikeforge.api.convert.ThresholdStrategy;
import io.spikeforge.engine.model.ComposedModel;
import io.spikeforge.engine.model.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained ANN prepared for conversion: its layers with every BatchNorm folded into the
 * convolution before it (a weight and a bias, computed in double and stored in the model's data
 * type), and its activations as the sites where spiking neurons go. The ANN itself is left as it
 * is; this holds copies of its weights (a plugin activation is shared: its own forward is the ANN
 * reference at its site).
 *
 * <p>Takes the engine's ANN {@link io.spikeforge.engine.model.ResNet} of any depth and
 * {@link io.spikeforge.engine.model.Vgg} with average pooling; activations are the engine's ReLU
 * or a plugin's {@link io.spikeforge.engine.layer.PluginActivation}, whose own forward is the ANN
 * reference. Max pooling is refused: the maximum of spike trains is not the spike train of the
 * maximum (build the VGG with average pooling to convert it).
 *
 * <p>Not thread-safe: the folded layers reuse their buffers, and the spiking networks made from
 * one conversion share them.
 */
public final class Conversion {
    private final ComposedModel ann;
    private final List<Node> folded;
    private final Network annNetwork;

    private Conversion(ComposedModel ann) {
        this.ann = ann;
        this.folded = Folding.fold(ann);
        this.annNetwork = Network.place(folded, NeuronPlacement.AFTER_ADDITION, ann.dataType());
    }

    /**
     * Folds an ANN.
     *
     * @param ann a trained ANN made by the engine's ResNet or VGG builder (not spiking)
     * @throws IllegalArgumentException for a spiking model, another kind of model, max pooling, or
     *     a layer it cannot convert (named by its state-dict prefix)
     */
    public static Conversion of(Model ann) {
        Objects.requireNonNull(ann, "ann");
        if (ann.spiking()) {
            throw new IllegalArgumentException(ann.architecture() + " is already spiking; conversion takes an ANN");
        }
        if (!(ann instanceof ComposedModel composed)) {
            throw new IllegalArgumentException("conversion takes the engine's ResNet or VGG, not "
                    + ann.getClass().getName());
        }
        return new Conversion(composed);
    }

    /** The ANN it was made from. */
    public Model ann() {
        return ann;
    }

    /**
     * The folded ANN's logits in evaluation mode; equal to the ANN's own up to rounding.
     *
     * @param images {@code [B, C, H, W]} in the model's data type
     * @return {@code [B, classes]}, a new array
     */
    public INDArray annLogits(INDArray images) {
        checkImages(images, "images");
        return annNetwork.annForward(images, null, null).dup();
    }

    /** The names of the spiking sites a placement gives, in forward order. */
    public List<String> sites(NeuronPlacement placement) {
        return Network.place(folded, placement, ann.dataType()).sites().stream().map(Node.Site::name).toList();
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
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(progress, "progress");
        if (calibrationBatches.isEmpty()) {
            throw new IllegalArgumentException("calibration needs at least one batch of images");
        }
        for (int b = 0; b < calibrationBatches.size(); b++) {
            checkImages(calibrationBatches.get(b), "calibration batch " + b);
        }
        Network network = Network.place(folded, settings.placement(), ann.dataType());
        new Calibrator(network, settings, strategy, progress).calibrate(List.copyOf(calibrationBatches));
        return new SpikingConversion(this, settings, network);
    }

    /**
     * The spiking network with given thresholds, without calibration.
     *
     * @param thresholds per site of the placement, {@code [1]} or {@code [channels]} per the granularity
     * @throws IllegalArgumentException naming the site for a missing or extra site, a wrong count, or
     *     a threshold that is not positive and finite
     */
    public SpikingConversion withThresholds(ConversionSettings settings, Map<String, INDArray> thresholds) {
        Objects.requireNonNull(settings, "settings");
        Network network = Network.place(folded, settings.placement(), ann.dataType());
        List<String> expected = network.sites().stream().map(Node.Site::name).toList();
        Set<String> missing = new LinkedHashSet<>(expected);
        missing.removeAll(thresholds.keySet());
        Set<String> extra = new LinkedHashSet<>(thresholds.keySet());
        expected.forEach(extra::remove);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            List<String> problems = new ArrayList<>();
            if (!missing.isEmpty()) {
                problems.add("no thresholds for " + String.join(", ", missing));
            }
            if (!extra.isEmpty()) {
                problems.add("thresholds for " + String.join(", ", extra) + ", which " + ann.architecture()
                        + " with placement " + settings.placement().yamlName() + " does not have");
            }
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        for (Node.Site site : network.sites()) {
            int count = settings.granularity() == ThresholdGranularity.LAYER ? 1
                    : site.channels();
            double[] values = Thresholds.check(thresholds.get(site.name()), count, site.name());
            site.setNeurons(new IfNeurons(Thresholds.rounded(values, ann.dataType()), settings.initialMembrane(),
                    site.signed(), ann.dataType()));
        }
        return new SpikingConversion(this, settings, network);
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
        return ConversionFile.read(file, this);
    }

    /** The folded graph, shared by every network made from this conversion. */
    List<Node> folded() {
        return folded;
    }

    void checkImages(INDArray images, String what) {
        Objects.requireNonNull(images, what);
        if (images.rank() != 4 || images.size(1) != ann.inputChannels()) {
            throw new IllegalArgumentException(what + ": " + ann.architecture() + " expects images [B, "
                    + ann.inputChannels() + ", H, W] but got " + Arrays.toString(images.shape()));
        }
        if (images.dataType() != ann.dataType()) {
            throw new IllegalArgumentException(what + ": " + ann.architecture() + " works in " + ann.dataType()
                    + " but the images are " + images.dataType());
        }
    }
}
