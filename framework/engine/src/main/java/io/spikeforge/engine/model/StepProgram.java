package io.spikeforge.engine.model;

import io.spikeforge.engine.layer.BatchNorm2d;
import io.spikeforge.engine.layer.Conv2d;
import io.spikeforge.engine.layer.FoldedConvolution;
import io.spikeforge.engine.layer.Layer;
import io.spikeforge.engine.layer.SpikingActivation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The layers {@link StepwiseInference} runs once per time-step, compiled into operations on one
 * pool of step buffers ({@link StepBuffers}) instead of the layers' own output buffers:
 * <ul>
 *   <li>a {@link Conv2d} and the {@link BatchNorm2d} after it in the same sequence run as one
 *       {@link FoldedConvolution} into a pool buffer;</li>
 *   <li>a {@link SpikingActivation} writes its spikes over its current when that is a pool buffer
 *       nobody else reads, else into a new one;</li>
 *   <li>a {@link Residual} block keeps its input until the addition, which adds the shortcut into
 *       the main path's output (or the other way round: either buffer that belongs to the block);</li>
 *   <li>any other layer runs its own evaluation forward into its own buffer (pooling, the global
 *       average pooling at the end, a batch norm without a convolution before it).</li>
 * </ul>
 * Each operation releases its input once it has read it, unless its caller keeps it (the block
 * input, the constant of the layers before the first neurons). The spikes, and so the logits,
 * equal the layers' own evaluation forwards' up to the rounding of the folded batch norm.
 */
final class StepProgram {
    private final Node root;
    private final List<FoldedConvolution> convolutions;
    private final StepBuffers pool;

    /** A tensor of the step and whether its holder owns it: a pool buffer it may overwrite and must release. */
    private record Value(INDArray array, boolean owned) {
    }

    /** One operation of the step. */
    private interface Node {
        /**
         * @param keep whether the caller still needs the input: then it stays unchanged and is not
         *     released; else an owned input is released or reused by this operation
         * @return the output, owned or not
         */
        Value run(Value input, boolean keep);
    }

    private StepProgram(Node root, List<FoldedConvolution> convolutions, StepBuffers pool) {
        this.root = root;
        this.convolutions = List.copyOf(convolutions);
        this.pool = pool;
    }

    /**
     * Compiles {@code layers} (full names and layers, in order) for stepping.
     *
     * @param pool where the step's buffers come from
     */
    static StepProgram compile(List<String> names, List<Layer> layers, StepBuffers pool) {
        Compiler compiler = new Compiler(pool);
        return new StepProgram(compiler.sequence(names, layers), compiler.convolutions, pool);
    }

    /** Takes the folded convolutions' parameters from the layers: once per pass, since training may change them. */
    void refresh() {
        convolutions.forEach(FoldedConvolution::refresh);
    }

    /**
     * One time-step on {@code input}, which stays unchanged.
     *
     * @return the output: a buffer of the last layer, or of the pool, valid until {@link #endStep}
     */
    INDArray step(INDArray input) {
        return root.run(new Value(input, false), true).array();
    }

    /** Gives every buffer of the step back to the pool: the caller has read the step's output. */
    void endStep() {
        pool.releaseAll();
    }

    /** Builds the nodes, collecting the folded convolutions. */
    private static final class Compiler {
        final StepBuffers pool;
        final List<FoldedConvolution> convolutions = new ArrayList<>();

        Compiler(StepBuffers pool) {
            this.pool = pool;
        }

        Node sequence(List<String> names, List<Layer> layers) {
            List<Node> nodes = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                Layer layer = layers.get(i);
                String name = names.get(i);
                if (layer instanceof Conv2d convolution) {
                    BatchNorm2d batchNorm = i + 1 < layers.size() && layers.get(i + 1) instanceof BatchNorm2d next
                            && next.layout() == convolution.layout() ? next : null;
                    FoldedConvolution folded = new FoldedConvolution(convolution, batchNorm);
                    convolutions.add(folded);
                    nodes.add(new Convolution(name, convolution, folded, pool));
                    if (batchNorm != null) {
                        i++;
                    }
                } else if (layer instanceof SpikingActivation neurons) {
                    nodes.add(new Neurons(name, neurons, pool));
                } else if (layer instanceof Sequential sequential) {
                    nodes.add(sequence(sequential.childNames(), sequential.children()));
                } else if (layer instanceof Residual block) {
                    nodes.add(block(block));
                } else {
                    nodes.add(new Other(name, layer, pool));
                }
            }
            return nodes.size() == 1 ? nodes.get(0) : new Sequence(List.copyOf(nodes));
        }

        Node block(Residual block) {
            Sequential main = block.main();
            Sequential shortcut = block.shortcut();
            Node after = block.after().map(layer -> sequence(List.of(block.afterName().orElseThrow()), List.of(layer)))
                    .orElse(null);
            return new Block(block, sequence(main.childNames(), main.children()),
                    shortcut.isEmpty() ? null : sequence(shortcut.childNames(), shortcut.children()), after, pool);
        }
    }

    /** A convolution, with the batch norm after it folded in, into a pool buffer. */
    private record Convolution(String name, Conv2d layer, FoldedConvolution folded, StepBuffers pool) implements Node {
        @Override
        public Value run(Value input, boolean keep) {
            INDArray output;
            try {
                output = pool.acquire(input.array().dataType(), folded.outputShape(input.array().shape()));
                folded.forward(input.array(), output);
            } catch (RuntimeException e) {
                throw Composite.named(name, layer, e);
            }
            releaseUnlessKept(pool, input, keep);
            return new Value(output, true);
        }
    }

    /** Spiking neurons' single step, over their current where that is free to overwrite. */
    private record Neurons(String name, SpikingActivation layer, StepBuffers pool) implements Node {
        @Override
        public Value run(Value input, boolean keep) {
            INDArray current = input.array();
            INDArray spikes = input.owned() && !keep ? current : pool.acquire(current.dataType(), current.shape());
            try {
                layer.step(current, spikes);
            } catch (RuntimeException e) {
                throw Composite.named(name, layer, e);
            }
            return new Value(spikes, true);
        }
    }

    /** A layer's own evaluation forward into its own buffer. */
    private record Other(String name, Layer layer, StepBuffers pool) implements Node {
        @Override
        public Value run(Value input, boolean keep) {
            INDArray output = Composite.forward(name, layer, input.array(), false);
            // a layer may return a view of its input (a reshape): that buffer stays lent until the step ends
            if (!sharesMemory(input.array(), output)) {
                releaseUnlessKept(pool, input, keep);
            }
            return new Value(output, false);
        }
    }

    private record Sequence(List<Node> nodes) implements Node {
        @Override
        public Value run(Value input, boolean keep) {
            if (nodes.isEmpty()) {
                return keep ? new Value(input.array(), false) : input;
            }
            Value value = nodes.get(0).run(input, keep);
            for (int i = 1; i < nodes.size(); i++) {
                value = nodes.get(i).run(value, false);
            }
            return value;
        }
    }

    /**
     * A residual block: the input kept until the addition, the sum in a buffer of the block.
     *
     * @param shortcut null for the identity
     * @param after null for none
     */
    private record Block(Residual block, Node main, Node shortcut, Node after, StepBuffers pool) implements Node {
        @Override
        public Value run(Value input, boolean keep) {
            Value mainOutput = main.run(input, true);
            Value shortcutOutput = shortcut == null ? new Value(input.array(), false) : shortcut.run(input, true);
            INDArray a = mainOutput.array();
            INDArray b = shortcutOutput.array();
            if (!Arrays.equals(a.shape(), b.shape()) || a.dataType() != b.dataType()) {
                throw new IllegalArgumentException(block.name() + ": the main path gives " + Arrays.toString(a.shape())
                        + " " + a.dataType() + ", the shortcut " + Arrays.toString(b.shape()) + " " + b.dataType());
            }
            // ResidualAdd's main + shortcut; IEEE addition commutes, so either operand may take the sum
            Value sum;
            if (mainOutput.owned()) {
                sum = new Value(a.addi(b), true);
                releaseUnlessKept(pool, shortcutOutput, false);
            } else if (shortcutOutput.owned()) {
                sum = new Value(b.addi(a), true);
            } else {
                sum = new Value(a.add(b, pool.acquire(a.dataType(), a.shape())), true);
            }
            releaseUnlessKept(pool, input, keep);
            return after == null ? sum : after.run(sum, false);
        }
    }

    private static void releaseUnlessKept(StepBuffers pool, Value value, boolean keep) {
        if (value.owned() && !keep) {
            pool.release(value.array());
        }
    }

    /** Whether the two arrays' allocations overlap (a view of the same buffer, say). */
    private static boolean sharesMemory(INDArray a, INDArray b) {
        DataBuffer x = a.data();
        DataBuffer y = b.data();
        long xStart = x.address();
        long yStart = y.address();
        return xStart < yStart + y.length() * y.getElementSize() && yStart < xStart + x.length() * x.getElementSize();
    }
}
