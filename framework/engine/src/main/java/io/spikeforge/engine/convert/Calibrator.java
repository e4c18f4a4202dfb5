package io.spikeforge.engine.convert;

import io.spikeforge.api.convert.ThresholdStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Calibrates a network's sites in forward order, layer-major: every calibration batch goes through
 * one layer before the next layer runs, keeping per batch the pure ANN's activations {@code [N, ...]}
 * and the converted network's values over T steps {@code [T*N, ...]} at the current point (and at
 * a residual block's input until the block ends). So the network is traversed once, and each site
 * is measured on the spikes of the already calibrated sites before it.
 */
final class Calibrator {
    private final Network network;
    private final ConversionSettings settings;
    private final ThresholdStrategy strategy;
    private final ConversionProgress progress;
    private final DataType dataType;
    private final int timeSteps;
    private int sitesDone;

    /**
     * The values of the calibration batches at one point of the network. A flow is closed as soon
     * as the next point's is computed: its native buffers ({@code T*N} rows per batch at every site
     * of a 110-layer network) would otherwise wait for the JVM's collector, which only sees the small
     * Java objects, and calibration's resident memory would grow with the depth.
     */
    private record Flow(List<INDArray> ann, List<INDArray> spiking) {
        void close() {
            closeAll(ann);
            closeAll(spiking);
        }
    }

    Calibrator(Network network, ConversionSettings settings, ThresholdStrategy strategy, ConversionProgress progress) {
        this.network = network;
        this.settings = settings;
        this.strategy = strategy;
        this.progress = progress;
        this.dataType = network.dataType();
        this.timeSteps = settings.calibrationTimeSteps();
    }

    /** Sets the neurons of every site of the network. */
    void calibrate(List<INDArray> images) {
        // the images are the input of both: the encoding layer repeats its output over T
        Flow input = new Flow(images, images);
        Flow output = run(network.nodes(), input);
        if (output != input) {
            output.close();
        }
    }

    /** Runs the nodes on {@code input}, which stays open (its owner closes it); every flow made here but the result is closed. */
    private Flow run(List<Node> nodes, Flow input) {
        Flow x = input;
        for (Node node : nodes) {
            Flow next = next(node, x);
            if (x != input && next != x) {
                x.close();
            }
            x = next;
        }
        return x;
    }

    private Flow next(Node node, Flow x) {
        if (node instanceof Node.Weighted weighted) {
            return weighted(weighted, x);
        } else if (node instanceof Node.Site site) {
            return site(site, x);
        } else if (node instanceof Node.Pool pool) {
            return both(x, in -> pool.pooling().forward(in, false));
        } else if (node instanceof Node.GlobalPool pool) {
            return both(x, in -> pool.pooling().forward(in, false));
        } else if (node instanceof Node.Block block) {
            Flow main = run(block.main(), x);
            Flow shortcut = run(block.shortcut(), x);
            Flow sum = new Flow(sums(main.ann(), shortcut.ann()), sums(main.spiking(), shortcut.spiking()));
            for (Flow branch : List.of(main, shortcut)) {
                if (branch != x) {
                    branch.close();
                }
            }
            Flow out = site(block.after(), sum);
            sum.close();
            return out;
        }
        return x;
    }

    private Flow weighted(Node.Weighted weighted, Flow x) {
        if (!weighted.encoding()) {
            return both(x, weighted::forward);
        }
        List<INDArray> ann = new ArrayList<>();
        List<INDArray> spiking = new ArrayList<>();
        for (INDArray images : x.ann()) {
            INDArray encoded = weighted.forward(images).dup();
            ann.add(encoded);
            spiking.add(repeat(encoded));
        }
        return new Flow(ann, spiking);
    }

    private Flow site(Node.Site site, Flow x) {
        List<INDArray> ann = new ArrayList<>();
        for (INDArray in : x.ann()) {
            ann.add(site.annForward(in).dup());
        }
        double[] thresholds;
        try (SiteCalibration calibration = new SiteCalibration(site, settings, ann, x.spiking(), dataType)) {
            thresholds = chooseThresholds(site, calibration);
        }
        IfNeurons neurons = new IfNeurons(Thresholds.rounded(thresholds, dataType), settings.initialMembrane(),
                site.signed(), dataType);
        site.setNeurons(neurons);
        List<INDArray> spikes = new ArrayList<>();
        for (int b = 0; b < ann.size(); b++) {
            INDArray currents = x.spiking().get(b);
            INDArray output = Nd4j.createUninitialized(dataType, currents.shape());
            SiteCalibration.run(neurons, currents, ann.get(b).size(0), output).close();
            spikes.add(output);
        }
        progress.update(++sitesDone, network.sites().size(), site.name());
        return new Flow(ann, spikes);
    }

    private double[] chooseThresholds(Node.Site site, SiteCalibration calibration) {
        INDArray chosen;
        String strategyName = strategy.getClass().getSimpleName();
        try {
            chosen = strategy.thresholds(calibration);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("threshold strategy " + strategyName + " rejected " + site.name()
                    + ": " + e.getMessage(), e);
        }
        try {
            return Thresholds.check(chosen, calibration.thresholdCount(), site.name());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("threshold strategy " + strategyName + " returned bad thresholds for "
                    + e.getMessage(), e);
        }
    }

    /** Applies a layer to the ANN values and, one time-step at a time, to the spiking values. */
    private Flow both(Flow x, UnaryOperator<INDArray> layer) {
        List<INDArray> ann = new ArrayList<>();
        List<INDArray> spiking = new ArrayList<>();
        for (int b = 0; b < x.ann().size(); b++) {
            long batch = x.ann().get(b).size(0);
            ann.add(layer.apply(x.ann().get(b)).dup());
            INDArray in = x.spiking().get(b);
            INDArray out = null;
            // per step, so that layers cache buffers of the batch's size, not T times that
            for (long t = 0; t < timeSteps; t++) {
                INDArray step = layer.apply(in.get(NDArrayIndex.interval(t * batch, (t + 1) * batch)));
                if (out == null) {
                    long[] shape = step.shape().clone();
                    shape[0] *= timeSteps;
                    out = Nd4j.createUninitialized(dataType, shape);
                }
                out.get(NDArrayIndex.interval(t * batch, (t + 1) * batch)).assign(step);
            }
            spiking.add(out);
        }
        return new Flow(ann, spiking);
    }

    private INDArray repeat(INDArray perStep) {
        long batch = perStep.size(0);
        long[] shape = perStep.shape().clone();
        shape[0] *= timeSteps;
        INDArray out = Nd4j.createUninitialized(dataType, shape);
        for (long t = 0; t < timeSteps; t++) {
            out.get(NDArrayIndex.interval(t * batch, (t + 1) * batch)).assign(perStep);
        }
        return out;
    }

    /** Frees the arrays' native buffers now; views and arrays in a workspace are left to their owners. */
    static void closeAll(List<INDArray> arrays) {
        for (INDArray array : arrays) {
            if (array.closeable() && !array.wasClosed()) {
                array.close();
            }
        }
    }

    private static List<INDArray> sums(List<INDArray> a, List<INDArray> b) {
        List<INDArray> sums = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            sums.add(a.get(i).add(b.get(i)));
        }
        return sums;
    }
}
