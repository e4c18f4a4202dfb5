package io.spikeforge.engine.convert;

import io.spikeforge.engine.tensor.BufferCache;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.BiConsumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * A converted network's layer graph for one {@link NeuronPlacement}, with sites of its own, run as
 * the ANN or one time-step at a time.
 */
final class Network {
    private final List<Node> nodes;
    private final List<Node.Site> sites = new ArrayList<>();
    private final DataType dataType;
    /** The encoding layer's output for the current batch, computed at its first step. */
    private final Map<Node.Weighted, INDArray> encoded = new IdentityHashMap<>();

    private Network(List<Node> nodes, DataType dataType) {
        this.nodes = nodes;
        this.dataType = dataType;
        collectSites(nodes);
    }

    /** The graph with the placement's sites added to its blocks; layers are shared with the template. */
    static Network place(List<Node> template, NeuronPlacement placement, DataType dataType) {
        return new Network(placed(template, placement), dataType);
    }

    private static List<Node> placed(List<Node> template, NeuronPlacement placement) {
        List<Node> nodes = new ArrayList<>();
        for (Node node : template) {
            if (node instanceof Node.Site site) {
                nodes.add(site.copy());
            } else if (node instanceof Node.Block block) {
                nodes.add(placedBlock(block, placement));
            } else {
                nodes.add(node);
            }
        }
        return nodes;
    }

    private static Node.Block placedBlock(Node.Block block, NeuronPlacement placement) {
        List<Node> main = placed(block.main(), placement);
        List<Node> shortcut = placed(block.shortcut(), placement);
        String prefix = block.name() + ".";
        boolean identity = shortcut.isEmpty();
        switch (placement) {
            case AFTER_ADDITION -> { }
            case SHORTCUT_NEURON -> shortcut.add(0, new Node.Site(prefix + "shortcut_sn", null, false,
                    block.inChannels(), OptionalDouble.empty()));
            case BRANCH_NEURONS -> {
                main.add(new Node.Site(prefix + "main_sn", null, true, block.outChannels(), OptionalDouble.empty()));
                if (identity) {
                    shortcut.add(new Node.Site(prefix + "shortcut_sn", null, false, block.inChannels(),
                            OptionalDouble.empty()));
                } else {
                    shortcut.add(new Node.Site(prefix + "shortcut_sn", null, true, block.outChannels(),
                            OptionalDouble.empty()));
                }
            }
            default -> throw new IllegalArgumentException("unknown placement " + placement);
        }
        return new Node.Block(block.name(), main, shortcut, block.after().copy(), block.inChannels(),
                block.outChannels(), new BufferCache());
    }

    private void collectSites(List<Node> of) {
        for (Node node : of) {
            if (node instanceof Node.Site site) {
                sites.add(site);
            } else if (node instanceof Node.Block block) {
                collectSites(block.main());
                collectSites(block.shortcut());
                sites.add(block.after());
            }
        }
    }

    List<Node> nodes() {
        return nodes;
    }

    /** The sites in forward order (a block's main path, its shortcut, then after the addition). */
    List<Node.Site> sites() {
        return sites;
    }

    /** Every weighted layer in forward order. */
    List<Node.Weighted> weightedLayers() {
        List<Node.Weighted> layers = new ArrayList<>();
        collectWeighted(nodes, layers);
        return layers;
    }

    private static void collectWeighted(List<Node> of, List<Node.Weighted> into) {
        for (Node node : of) {
            if (node instanceof Node.Weighted weighted) {
                into.add(weighted);
            } else if (node instanceof Node.Block block) {
                collectWeighted(block.main(), into);
                collectWeighted(block.shortcut(), into);
            }
        }
    }

    DataType dataType() {
        return dataType;
    }

    /**
     * The ANN's eval-mode forward pass (sites the placement added are identities).
     *
     * @param observer given each site's ANN activation (a buffer, valid during the call), or null
     * @param counter given each weighted layer's multiply-accumulates per image, or null
     * @return the logits, a buffer
     */
    INDArray annForward(INDArray images, BiConsumer<Node.Site, INDArray> observer,
                        BiConsumer<Node.Weighted, Double> counter) {
        return ann(nodes, images, observer, counter);
    }

    private INDArray ann(List<Node> of, INDArray input, BiConsumer<Node.Site, INDArray> observer,
                         BiConsumer<Node.Weighted, Double> counter) {
        INDArray x = input;
        for (Node node : of) {
            if (node instanceof Node.Weighted weighted) {
                x = weighted.forward(x);
                if (counter != null) {
                    counter.accept(weighted, weighted.multiplyAccumulates(x));
                }
            } else if (node instanceof Node.Site site) {
                x = annSite(site, x, observer);
            } else if (node instanceof Node.Pool pool) {
                x = pool.pooling().forward(x, false);
            } else if (node instanceof Node.GlobalPool pool) {
                x = pool.pooling().forward(x, false);
            } else if (node instanceof Node.Block block) {
                INDArray main = ann(block.main(), x, observer, counter);
                INDArray shortcut = ann(block.shortcut(), x, observer, counter);
                x = annSite(block.after(), block.sum(main, shortcut, dataType), observer);
            }
        }
        return x;
    }

    private static INDArray annSite(Node.Site site, INDArray x, BiConsumer<Node.Site, INDArray> observer) {
        INDArray y = site.annForward(x);
        if (observer != null) {
            observer.accept(site, y);
        }
        return y;
    }

    /** Every site starts from v(0) at the next step; see {@link IfNeurons#reset}. */
    void reset(boolean statistics, boolean countEvents) {
        sites.forEach(site -> site.neurons().reset(statistics, countEvents));
    }

    /**
     * One time-step of the spiking network: the image enters the first (encoding) layer, whose
     * output is computed at step 0 and reused, since it is the same at every step.
     *
     * @param step 0 for the first step after {@link #reset}
     * @param operations told each weighted layer's operations of this step summed over the batch:
     *     (layer, accumulates, multiply-accumulates); null to count nothing
     * @return this step's logits, a buffer
     */
    INDArray step(INDArray images, int step, Operations operations) {
        return step(nodes, images, step, operations);
    }

    /** Receives the operation counts of one step. */
    @FunctionalInterface
    interface Operations {
        void add(Node.Weighted layer, double accumulates, double multiplyAccumulates);
    }

    private INDArray step(List<Node> of, INDArray input, int step, Operations operations) {
        INDArray x = input;
        for (Node node : of) {
            if (node instanceof Node.Weighted weighted) {
                x = stepWeighted(weighted, x, step, operations);
            } else if (node instanceof Node.Site site) {
                x = site.neurons().step(x);
            } else if (node instanceof Node.Pool pool) {
                x = pool.pooling().forward(x, false);
            } else if (node instanceof Node.GlobalPool pool) {
                x = pool.pooling().forward(x, false);
            } else if (node instanceof Node.Block block) {
                INDArray main = step(block.main(), x, step, operations);
                INDArray shortcut = step(block.shortcut(), x, step, operations);
                x = block.after().neurons().step(block.sum(main, shortcut, dataType));
            }
        }
        return x;
    }

    private INDArray stepWeighted(Node.Weighted weighted, INDArray x, int step, Operations operations) {
        INDArray output;
        if (weighted.encoding()) {
            if (step == 0) {
                encoded.put(weighted, weighted.forward(x).dup());
            }
            output = encoded.get(weighted);
            if (operations != null) {
                operations.add(weighted, 0, weighted.multiplyAccumulates(output) * x.size(0));
            }
            return output;
        }
        output = weighted.forward(x);
        if (operations != null) {
            long nonZero = x.scan(Conditions.notEquals(0.0)).longValue();
            double perImage = (double) x.length() / x.size(0);
            operations.add(weighted, weighted.multiplyAccumulates(output) * nonZero / perImage, 0);
        }
        return output;
    }
}
