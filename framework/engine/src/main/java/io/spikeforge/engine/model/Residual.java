package io.spikeforge.engine.model;

import io.spikeforge.api.model.LayerKind;
import io.spikeforge.engine.layer.Layer;
import io.spikeforge.engine.layer.ResidualAdd;
import io.spikeforge.engine.tensor.BufferCache;
import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A residual block: {@code after(main(x) + shortcut(x))}. The main path and the shortcut are
 * sequences whose layers are named directly under the block ({@code layer2.0.conv1},
 * {@code layer2.0.downsample.0}); an empty shortcut is the identity. The layer after the addition is
 * optional: the activation of a basic block (ReLU, or IDSNN's spiking neurons), absent in a SEW
 * block, whose main path and projection end in neurons and whose output is the sum.
 *
 * <p>The backward pass sends the gradient of the sum down both paths and adds the two results into
 * the model's gradient pool under the given role, which must not be written by any layer of the
 * block (see {@link io.spikeforge.engine.layer.Conv2d#useGradientPool}).
 */
public final class Residual extends Composite {
    private final Sequential main;
    private final Sequential shortcut;
    private final ResidualAdd addition;
    private final String afterName;
    private final Layer after;
    private final BufferCache gradientPool;
    private final String gradientRole;
    private String afterFullName;

    /**
     * @param main the main path, named under the block
     * @param shortcut the shortcut, named under the block; empty for the identity
     * @param afterName the local name of the layer after the addition (such as {@code sn2}); ignored
     *     without one
     * @param after the layer after the addition, or null for none
     * @param dataType the block's data type
     * @param gradientPool where the block's input gradient goes
     * @param gradientRole its role there
     */
    public Residual(Sequential main, Sequential shortcut, String afterName, Layer after, DataType dataType,
                    BufferCache gradientPool, String gradientRole) {
        this.main = Objects.requireNonNull(main, "main");
        this.shortcut = Objects.requireNonNull(shortcut, "shortcut");
        this.afterName = after == null ? null : Objects.requireNonNull(afterName, "afterName");
        this.after = after;
        this.addition = new ResidualAdd(dataType);
        this.gradientPool = Objects.requireNonNull(gradientPool, "gradientPool");
        this.gradientRole = Objects.requireNonNull(gradientRole, "gradientRole");
        renameChildren();
    }

    @Override
    void renameChildren() {
        main.rename(name());
        shortcut.rename(name());
        afterFullName = after == null ? null : join(name(), afterName);
    }

    @Override
    void forEachLayer(LayerVisitor visitor) {
        main.forEachLayer(visitor);
        shortcut.forEachLayer(visitor);
        if (after != null) {
            visitor.visit(afterFullName, kindOf(after), after);
        }
    }

    /** The main path, without the layer after the addition. */
    public Sequential main() {
        return main;
    }

    /** The shortcut; empty for the identity. */
    public Sequential shortcut() {
        return shortcut;
    }

    /** The layer after the addition (the activation of a basic block); empty in a SEW block. */
    public Optional<Layer> after() {
        return Optional.ofNullable(after);
    }

    /** The full name of the layer after the addition ({@code layer2.0.relu}); empty without one. */
    public Optional<String> afterName() {
        return Optional.ofNullable(afterFullName);
    }

    /** The main path's layers, then the layer after the addition: the block's main path in its structure. */
    void forEachMainLayer(LayerVisitor visitor) {
        main.forEachLayer(visitor);
        if (after != null) {
            visitor.visit(afterFullName, kindOf(after), after);
        }
    }

    /** The shortcut's layers. */
    void forEachShortcutLayer(LayerVisitor visitor) {
        shortcut.forEachLayer(visitor);
    }

    /**
     * @param input {@code [N, in, H, W]}, kept by reference until {@link #backward} in training mode
     * @return the block's output, a buffer of its last layer (or of the addition)
     */
    @Override
    public INDArray forward(INDArray input, boolean training) {
        INDArray mainOutput = main.forward(input, training);
        INDArray shortcutOutput = shortcut.isEmpty() ? input : shortcut.forward(input, training);
        INDArray sum;
        try {
            sum = addition.forward(mainOutput, shortcutOutput);
        } catch (RuntimeException e) {
            throw named(name(), addition, e);
        }
        return after == null ? sum : forward(afterFullName, after, sum, training);
    }

    /** @return dL/dinput, the sum of the main path's and the shortcut's, in the gradient pool */
    @Override
    public INDArray backward(INDArray gradOutput) {
        INDArray gradAfter = after == null ? gradOutput : backward(afterFullName, after, gradOutput);
        INDArray gradSum;
        try {
            gradSum = addition.backward(gradAfter);
        } catch (RuntimeException e) {
            throw named(name(), addition, e);
        }
        INDArray gradMain = main.backward(gradSum);
        INDArray gradShortcut = shortcut.isEmpty() ? gradSum : shortcut.backward(gradSum);
        INDArray gradInput = gradientPool.get(gradientRole, gradMain.dataType(), gradMain.shape());
        return gradMain.add(gradShortcut, gradInput);
    }
}
