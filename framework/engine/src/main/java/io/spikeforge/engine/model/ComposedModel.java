package io.spikeforge.engine.model;

import io.spikeforge.api.model.Block;
import io.spikeforge.api.model.LayerInfo;
import io.spikeforge.api.model.LayerKind;
import io.spikeforge.api.model.ModelStructure;
import io.spikeforge.api.model.Stage;
import io.spikeforge.api.model.StateDict;
import io.spikeforge.engine.energy.EnergyMeter;
import io.spikeforge.engine.energy.SignalKind;
import io.spikeforge.engine.layer.ActivationLayout;
import io.spikeforge.engine.layer.Conv2d;
import io.spikeforge.engine.layer.Layer;
import io.spikeforge.engine.layer.Linear;
import io.spikeforge.api.model.Parameter;
import io.spikeforge.engine.layer.SpikingActivation;
import io.spikeforge.engine.tensor.BufferCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link Model} made of composed layers: a stem, stages of {@link Residual} blocks (none in a plain
 * network such as VGG) and a head, each a {@link Sequential}. Forward, backward, parameters, the
 * state dict, the structure and the firing rates all derive from that composition, so a family only
 * composes its layers (see {@link ResNet} and {@link Vgg}).
 */
public abstract class ComposedModel implements Model {
    private final String architecture;
    private final int inputChannels;
    private final int classes;
    private final int timeSteps;
    private final boolean spiking;
    private final DataType dataType;
    private final ActivationLayout layout;
    /** The images and the input gradient in {@link #layout}, when that is not theirs. */
    private final BufferCache boundary = new BufferCache();
    private final List<Sequential> parts;
    private final Map<String, Layer> layers;
    private final Map<String, Parameter> parameters;
    private final StateDict stateDict;
    private final ModelStructure structure;
    private final Map<String, SpikingActivation> spikingLayers;
    private final EnergyMeter energy;

    /**
     * What a family composes.
     *
     * @param architecture the short name, such as {@code spiking-resnet18}
     * @param inputChannels channels of the images
     * @param classes outputs of the classifier
     * @param timeSteps T, 1 for an ANN
     * @param spiking whether the activations are spiking neurons
     * @param dataType every layer's data type
     * @param layout the layout of the activations between the layers; the images are NCHW
     * @param stem the layers before the stages, named from the top of the model (or under a name
     *     given to the sequence, as VGG's {@code features})
     * @param stages sequences of {@link Residual} blocks, each under its own name ({@code layer1});
     *     empty for a plain network
     * @param head the layers after the stages, named from the top of the model
     */
    protected record Composition(String architecture, int inputChannels, int classes, int timeSteps,
                                 boolean spiking, DataType dataType, ActivationLayout layout, NamedSequence stem,
                                 List<NamedSequence> stages, NamedSequence head) {
    }

    /**
     * A sequence under a name in the model (empty for layers named from the top).
     *
     * @param name such as {@code layer1} or {@code features}
     * @param layers the sequence
     */
    protected record NamedSequence(String name, Sequential layers) {
        public NamedSequence {
            Objects.requireNonNull(name, "name");
            layers.rename(name);
        }
    }

    protected ComposedModel(Composition composition) {
        this.architecture = composition.architecture();
        this.inputChannels = composition.inputChannels();
        this.classes = composition.classes();
        this.timeSteps = composition.timeSteps();
        this.spiking = composition.spiking();
        this.dataType = composition.dataType();
        this.layout = Objects.requireNonNull(composition.layout(), "layout");
        List<Sequential> all = new ArrayList<>();
        all.add(composition.stem().layers());
        composition.stages().forEach(stage -> all.add(stage.layers()));
        all.add(composition.head().layers());
        this.parts = List.copyOf(all);

        Map<String, Layer> leaves = new LinkedHashMap<>();
        Map<String, Parameter> named = new LinkedHashMap<>();
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        Map<String, SpikingActivation> neurons = new LinkedHashMap<>();
        for (Sequential part : parts) {
            part.forEachLayer((fullName, kind, layer) -> {
                leaves.putIfAbsent(fullName, layer);
                layer.parameters().forEach(p -> named.put(fullName + "." + p.name(), p));
                layer.stateTensors().forEach((tensor, value) -> tensors.put(fullName + "." + tensor, value));
                if (layer instanceof SpikingActivation activation) {
                    neurons.put(fullName, activation);
                }
            });
        }
        this.layers = Collections.unmodifiableMap(leaves);
        this.parameters = Collections.unmodifiableMap(named);
        this.stateDict = StateDict.of(tensors);
        this.spikingLayers = Collections.unmodifiableMap(neurons);
        this.structure = structure(composition);
        this.energy = new EnergyMeter(timeSteps);
        SignalKind signal = SignalKind.REAL;
        for (Sequential part : parts) {
            signal = part.forEachInput(signal, (fullName, layer, input) -> countOperations(fullName, layer, input));
        }
    }

    /** Gives a layer with weights its counter; the encoding stem's convolution runs once on the images. */
    private void countOperations(String fullName, Layer layer, SignalKind input) {
        if (layer instanceof Conv2d convolution) {
            convolution.countOperations(energy.add(fullName, input));
        } else if (layer instanceof DirectEncodingStem stem) {
            stem.convolution().countOperations(energy.add(fullName, input));
        } else if (layer instanceof Linear linear) {
            linear.countOperations(energy.add(fullName, input));
        }
    }

    private static ModelStructure structure(Composition composition) {
        List<Stage> stages = new ArrayList<>();
        for (NamedSequence stage : composition.stages()) {
            List<Block> blocks = new ArrayList<>();
            for (Layer child : stage.layers().children()) {
                if (!(child instanceof Residual block)) {
                    throw new IllegalArgumentException("stage " + stage.name() + " may only hold Residual blocks, not "
                            + child.getClass().getSimpleName());
                }
                List<LayerInfo> main = new ArrayList<>();
                block.forEachMainLayer(collector(main));
                List<LayerInfo> shortcut = new ArrayList<>();
                block.forEachShortcutLayer(collector(shortcut));
                blocks.add(new Block(block.name(), main, shortcut));
            }
            stages.add(new Stage(stages.size() + 1, blocks));
        }
        List<LayerInfo> stem = new ArrayList<>();
        composition.stem().layers().forEachLayer(collector(stem));
        List<LayerInfo> head = new ArrayList<>();
        composition.head().layers().forEachLayer(collector(head));
        return new ModelStructure(composition.architecture(), stem, stages, head);
    }

    /**
     * Adds each layer with a structure kind once: torchvision's ResNet block has one {@code relu}
     * module that acts twice.
     */
    private static Composite.LayerVisitor collector(List<LayerInfo> into) {
        return (fullName, kind, layer) -> {
            if (kind == null || into.stream().anyMatch(info -> info.name().equals(fullName))) {
                return;
            }
            into.add(new LayerInfo(fullName, kind,
                    layer.stateTensors().keySet().stream().map(tensor -> fullName + "." + tensor).toList()));
        };
    }

    @Override
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
        if (!training) {
            energy.countImages(images.size(0));
        }
        INDArray x = inActivationLayout(images);
        for (Sequential part : parts) {
            x = part.forward(x, training);
        }
        return x;
    }

    /**
     * The NCHW images in the layout of the activations between the layers: themselves for NCHW,
     * else a permuted copy (a buffer reused by the next call), once per batch on the smallest
     * tensor of the pass.
     */
    INDArray inActivationLayout(INDArray images) {
        if (layout == ActivationLayout.NCHW) {
            return images;
        }
        INDArray x = boundary.get("images", dataType, layout.shape(images.size(0), images.size(1), images.size(2),
                images.size(3)));
        return x.assign(images.permute(layout.fromNchw()));
    }

    @Override
    public INDArray backward(INDArray gradLogits) {
        Objects.requireNonNull(gradLogits, "gradLogits");
        INDArray g = gradLogits;
        for (int i = parts.size() - 1; i >= 0; i--) {
            g = parts.get(i).backward(g);
        }
        if (layout != ActivationLayout.NCHW && g != null) {
            INDArray gradImages = boundary.get("gradImages", dataType, layout.logicalShape(g.shape()));
            gradImages.assign(g.permute(layout.toNchw()));
            g = gradImages;
        }
        return g;
    }

    @Override
    public void skipInputGradient() {
        parts.stream().filter(part -> !part.isEmpty()).findFirst().ifPresent(Sequential::skipInputGradient);
    }

    @Override
    public Map<String, Parameter> parameters() {
        return parameters;
    }

    @Override
    public StateDict stateDict() {
        return stateDict;
    }

    @Override
    public ModelStructure structure() {
        return structure;
    }

    @Override
    public Map<String, Double> firingRates() {
        Map<String, Double> rates = new LinkedHashMap<>();
        spikingLayers.forEach((name, layer) -> rates.put(name, layer.lastFiringRate()));
        return rates;
    }

    /**
     * The composition in forward order: the stem, each stage (a sequence of {@link Residual} blocks)
     * and the head, for code that walks the model's layers (ANN-to-SNN conversion).
     */
    public List<Sequential> parts() {
        return parts;
    }

    @Override
    public Optional<EnergyMeter> energy() {
        return Optional.of(energy);
    }

    /** Every layer by full name, in forward order, for the family's initialization. */
    protected Map<String, Layer> layers() {
        return layers;
    }

    @Override
    public int timeSteps() {
        return timeSteps;
    }

    @Override
    public boolean spiking() {
        return spiking;
    }

    @Override
    public String architecture() {
        return architecture;
    }

    @Override
    public int inputChannels() {
        return inputChannels;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public DataType dataType() {
        return dataType;
    }

    /**
     * The layout of the activations between the layers ({@link ActivationLayout}); {@link #forward}
     * takes NCHW images and {@link #backward} returns their NCHW gradient in either.
     */
    public ActivationLayout activationLayout() {
        return layout;
    }
}
