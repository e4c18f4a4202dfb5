package io.spikeforge.engine.model;

import io.spikeforge.api.model.LayerKind;
import io.spikeforge.engine.energy.SignalKind;
import io.spikeforge.engine.layer.BatchNorm2d;
import io.spikeforge.engine.layer.Conv2d;
import io.spikeforge.engine.layer.GlobalAvgPool2d;
import io.spikeforge.engine.layer.Layer;
import io.spikeforge.engine.layer.Linear;
import io.spikeforge.engine.layer.PluginActivation;
import io.spikeforge.api.model.Parameter;
import io.spikeforge.engine.layer.ReLU;
import io.spikeforge.engine.layer.SpikingActivation;
import io.spikeforge.engine.layer.TimeMean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A layer made of named layers ({@link Sequential}, {@link Residual}), so that a model's layer order
 * is written once and its forward and backward passes, parameters, state dict, structure and firing
 * rates all derive from the composition.
 *
 * <p>Every layer in a composition has a full name, the prefix of its state-dict names
 * ({@code layer2.0.bn1}); a composite's own full name is its place in the parent ({@code layer2.0}),
 * set when it is added there. An exception from a layer's forward or backward pass is rethrown with
 * that full name in front of its message ({@link #named}), once, by the composite that holds the
 * layer.
 */
public abstract sealed class Composite implements Layer permits Sequential, Residual {
    /** What {@link ModelSummary} sees of each leaf's forward pass on this thread; null outside a summary. */
    static final ThreadLocal<LeafObserver> OBSERVER = new ThreadLocal<>();

    private String name = "";

    Composite() {
    }

    /** The full name: the prefix of its layers' names, empty at the top of a model. */
    public String name() {
        return name;
    }

    /** Sets the full name, and through it every contained layer's. */
    void rename(String fullName) {
        this.name = fullName;
        renameChildren();
    }

    /** Recomputes the full names of the children from {@link #name()}. */
    abstract void renameChildren();

    /**
     * Visits every leaf (non-composite) layer with its full name and its structure kind (null for
     * layers without a place in the structure, such as {@link TimeMean}), in forward order, which is
     * also PyTorch's state-dict order.
     */
    abstract void forEachLayer(LayerVisitor visitor);

    /** A leaf layer in a composition. */
    @FunctionalInterface
    interface LayerVisitor {
        void visit(String fullName, LayerKind kind, Layer layer);
    }

    /**
     * Follows what the values carry through the composition in forward order: tells the visitor
     * what each leaf's input carries, and returns what the composite's output carries.
     */
    abstract SignalKind forEachInput(SignalKind input, InputVisitor visitor);

    /** A leaf layer and what its input carries. */
    @FunctionalInterface
    interface InputVisitor {
        void visit(String fullName, Layer layer, SignalKind input);
    }

    /**
     * What a leaf's output carries: spiking neurons emit spikes, max pooling keeps what it takes,
     * every other layer (average pooling included) gives real values.
     */
    static SignalKind outputOf(Layer layer, SignalKind input) {
        if (layer instanceof SpikingActivation) {
            return SignalKind.SPIKES;
        }
        return layer instanceof Pooling2d pooling && pooling.mode() == Pooling2d.Mode.MAX ? input : SignalKind.REAL;
    }

    /** Every leaf layer by full name, in forward order. */
    public Map<String, Layer> layers() {
        Map<String, Layer> layers = new LinkedHashMap<>();
        forEachLayer((fullName, kind, layer) -> layers.putIfAbsent(fullName, layer));
        return layers;
    }

    /** The leaves' parameters in state-dict order (their names are local; see {@link #stateTensors()}). */
    @Override
    public List<Parameter> parameters() {
        List<Parameter> parameters = new ArrayList<>();
        forEachLayer((fullName, kind, layer) -> parameters.addAll(layer.parameters()));
        return parameters;
    }

    /** Every tensor of the leaves by name relative to this composite ({@code conv1.weight}), in state-dict order. */
    @Override
    public Map<String, INDArray> stateTensors() {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        String prefix = name.isEmpty() ? "" : name + ".";
        forEachLayer((fullName, kind, layer) -> layer.stateTensors()
                .forEach((tensor, value) -> tensors.put(fullName.substring(prefix.length()) + "." + tensor, value)));
        return tensors;
    }

    /** Runs a child's forward pass, naming it in any exception a leaf throws. */
    static INDArray forward(String fullName, Layer layer, INDArray input, boolean training) {
        try {
            INDArray output = layer.forward(input, training);
            LeafObserver observer = OBSERVER.get();
            if (observer != null && !(layer instanceof Composite)) {
                observer.forwarded(fullName, layer, output);
            }
            return output;
        } catch (RuntimeException e) {
            throw layer instanceof Composite ? e : named(fullName, layer, e);
        }
    }

    /**
     * Told of each leaf layer's forward pass while a {@link ModelSummary} is made; a BN layer whose
     * output the neurons after it applied themselves ({@link Sequential#forward}) is told with its
     * input, which has its output's shape.
     */
    interface LeafObserver {
        void forwarded(String fullName, Layer layer, INDArray output);
    }

    /** Runs a child's backward pass, naming it in any exception a leaf throws. */
    static INDArray backward(String fullName, Layer layer, INDArray gradOutput) {
        try {
            return layer.backward(gradOutput);
        } catch (RuntimeException e) {
            throw layer instanceof Composite ? e : named(fullName, layer, e);
        }
    }

    /**
     * The exception {@code cause} with the layer's full name and class in front of its message:
     * {@code layer2.0.bn1 (BatchNorm2d): ...}. Argument and state errors keep their type, so callers
     * that tell bad input from a missing forward pass still can; anything else becomes a
     * {@link LayerException}.
     */
    static RuntimeException named(String fullName, Object layer, RuntimeException cause) {
        String message = fullName + " (" + layer.getClass().getSimpleName() + "): " + cause.getMessage();
        if (cause instanceof IllegalArgumentException) {
            return new IllegalArgumentException(message, cause);
        }
        if (cause instanceof IllegalStateException) {
            return new IllegalStateException(message, cause);
        }
        return new LayerException(fullName, message, cause);
    }

    /** Joins a parent's full name and a local name. */
    static String join(String parent, String local) {
        return parent.isEmpty() ? local : local.isEmpty() ? parent : parent + "." + local;
    }

    /**
     * The structure kind of the engine's layers: null for layers that only reshape (such as
     * {@link TimeMean}) and have no place in a {@link io.spikeforge.api.model.ModelStructure}.
     *
     * @throws IllegalArgumentException for another layer class, whose kind must be given
     */
    static LayerKind kindOf(Layer layer) {
        if (layer instanceof Conv2d || layer instanceof DirectEncodingStem) {
            return LayerKind.CONVOLUTION;
        } else if (layer instanceof BatchNorm2d) {
            return LayerKind.BATCH_NORM;
        } else if (layer instanceof Linear) {
            return LayerKind.LINEAR;
        } else if (layer instanceof ReLU || layer instanceof PluginActivation || layer instanceof SpikingActivation) {
            return LayerKind.ACTIVATION;
        } else if (layer instanceof GlobalAvgPool2d || layer instanceof Pooling2d) {
            return LayerKind.POOLING;
        } else if (layer instanceof TimeMean) {
            return null;
        }
        throw new IllegalArgumentException("no structure kind known for " + layer.getClass().getName()
                + "; add it with its LayerKind");
    }

    /** Calls {@code action} for each child of a list with its full name. */
    static void forEachNamed(List<String> fullNames, List<? extends Layer> layers, BiConsumer<String, Layer> action) {
        for (int i = 0; i < layers.size(); i++) {
            action.accept(fullNames.get(i), layers.get(i));
        }
    }
}
