package io.spikeforge.engine.model;

import io.spikeforge.api.model.LayerKind;
import io.spikeforge.api.neuron.ChannelAffine;
import io.spikeforge.engine.energy.SignalKind;
import io.spikeforge.engine.layer.BatchNorm2d;
import io.spikeforge.engine.layer.Layer;
import io.spikeforge.engine.layer.SpikingActivation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layers applied one after the other, each under a local name: PyTorch's {@code nn.Sequential}
 * ({@code features.0}, {@code features.1}, ...), or, with names of their own, a part of a module
 * ({@code conv1}, {@code bn1}, {@code sn1}). Backward runs them in reverse order.
 */
public final class Sequential extends Composite {
    private final List<String> localNames = new ArrayList<>();
    private final List<LayerKind> kinds = new ArrayList<>();
    private final List<Layer> children = new ArrayList<>();
    private final List<String> fullNames = new ArrayList<>();

    /** An empty sequence; named when added to a parent, or by the model it is part of. */
    public Sequential() {
    }

    /**
     * Appends a layer, with the structure kind of its class (see {@link #add(String, LayerKind, Layer)}
     * for other layers).
     *
     * @param localName its name within this sequence, such as {@code conv1} or {@code 3}; a
     *     composite's children are named under it
     * @return this
     * @throws IllegalArgumentException for a name already used here, or a layer class of no known kind
     */
    public Sequential add(String localName, Layer layer) {
        return add(localName, layer instanceof Composite ? null : kindOf(layer), layer);
    }

    /**
     * Appends a layer with its structure kind.
     *
     * @param kind what the layer computes; null for a layer without a place in the structure (a
     *     reshape); ignored for a composite
     * @return this
     */
    public Sequential add(String localName, LayerKind kind, Layer layer) {
        Objects.requireNonNull(localName, "localName");
        Objects.requireNonNull(layer, "layer");
        if (localNames.contains(localName)) {
            throw new IllegalArgumentException("'" + localName + "' is already a layer of " + describe());
        }
        localNames.add(localName);
        kinds.add(kind);
        children.add(layer);
        fullNames.add(join(name(), localName));
        if (layer instanceof Composite composite) {
            composite.rename(join(name(), localName));
        }
        return this;
    }

    /** Whether it has no layers (an identity). */
    public boolean isEmpty() {
        return children.isEmpty();
    }

    /** The direct children, in order. */
    public List<Layer> children() {
        return List.copyOf(children);
    }

    /** The full names of the direct children, in order ({@code layer2.0.conv1}, {@code features.3}). */
    public List<String> childNames() {
        return List.copyOf(fullNames);
    }

    @Override
    void renameChildren() {
        for (int i = 0; i < children.size(); i++) {
            String fullName = join(name(), localNames.get(i));
            fullNames.set(i, fullName);
            if (children.get(i) instanceof Composite composite) {
                composite.rename(fullName);
            }
        }
    }

    @Override
    void forEachLayer(LayerVisitor visitor) {
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i) instanceof Composite composite) {
                composite.forEachLayer(visitor);
            } else {
                visitor.visit(fullNames.get(i), kinds.get(i), children.get(i));
            }
        }
    }

    @Override
    SignalKind forEachInput(SignalKind input, InputVisitor visitor) {
        SignalKind signal = input;
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i) instanceof Composite composite) {
                signal = composite.forEachInput(signal, visitor);
            } else {
                visitor.visit(fullNames.get(i), children.get(i), signal);
                signal = outputOf(children.get(i), signal);
            }
        }
        return signal;
    }

    /**
     * Runs the children in order. A BN layer followed by spiking neurons that can apply its
     * per-channel affine map themselves ({@link #fusesPair}) runs as one step: BN computes its
     * statistics and coefficients only, and the neurons normalize each chunk of BN's input as they
     * read it, so BN's output is never stored; the numbers are those of the two layers run apart.
     */
    @Override
    public INDArray forward(INDArray input, boolean training) {
        INDArray x = input;
        for (int i = 0; i < children.size(); i++) {
            if (fusesPair(i, x)) {
                x = forwardPair(i, x, training);
                i++;
            } else {
                x = forward(fullNames.get(i), children.get(i), x, training);
            }
        }
        return x;
    }

    /** Whether child {@code i} is a BN layer that defers its output to the neurons after it, for this input. */
    private boolean fusesPair(int i, INDArray input) {
        return i + 1 < children.size() && children.get(i) instanceof BatchNorm2d batchNorm
                && children.get(i + 1) instanceof SpikingActivation neurons && batchNorm.defers(input)
                && neurons.takesChannelAffine(input);
    }

    /**
     * BN (child {@code i}) and the neurons after it in one step. A {@link ModelSummary} sees both
     * leaves, BN with its input, whose shape its output has.
     */
    private INDArray forwardPair(int i, INDArray input, boolean training) {
        BatchNorm2d batchNorm = (BatchNorm2d) children.get(i);
        SpikingActivation neurons = (SpikingActivation) children.get(i + 1);
        ChannelAffine affine;
        try {
            affine = batchNorm.forwardDeferred(input, training);
        } catch (RuntimeException e) {
            throw named(fullNames.get(i), batchNorm, e);
        }
        LeafObserver observer = OBSERVER.get();
        if (observer != null) {
            observer.forwarded(fullNames.get(i), batchNorm, input);
        }
        INDArray spikes;
        try {
            spikes = neurons.forward(input, affine, training);
        } catch (RuntimeException e) {
            throw named(fullNames.get(i + 1), neurons, e);
        }
        if (observer != null) {
            observer.forwarded(fullNames.get(i + 1), neurons, spikes);
        }
        return spikes;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        INDArray g = gradOutput;
        for (int i = children.size() - 1; i >= 0; i--) {
            g = backward(fullNames.get(i), children.get(i), g);
        }
        return g;
    }

    /** Passed on to the first layer, whose input gradient is this sequence's. */
    @Override
    public void skipInputGradient() {
        if (!children.isEmpty()) {
            children.get(0).skipInputGradient();
        }
    }

    private String describe() {
        return name().isEmpty() ? "the sequence" : name();
    }
}
