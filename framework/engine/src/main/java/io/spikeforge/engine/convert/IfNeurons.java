package io.spikeforge.engine.convert;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * The integrate-and-fire neurons of one spiking site, stepped one time-step at a time on
 * {@code [N, C, ...]} input currents, keeping only the membrane potential (and, when asked, running
 * sums for the error analysis).
 *
 * <p>Per step: {@code v += x}; {@code s = 1} where {@code v >= theta}; for signed neurons
 * {@code s = -1} where {@code v < (2f - 1) * theta}; soft reset {@code v -= theta * s}; the output
 * is {@code theta * s}. Before the first step {@code v = f * theta}. Comparisons are exact: the
 * spike is {@code 1 - step(theta - v)} with {@code step(y) = [y > 0]}, and the sign of a rounded
 * difference is the sign of the exact one.
 */
final class IfNeurons {
    private final double[] thresholds;
    private final double initialMembrane;
    private final boolean signed;
    private final DataType dataType;
    private long[] shape;
    private INDArray thresholdMap;
    private INDArray negativeThresholdMap;
    private INDArray membrane;
    private INDArray spikes;
    private INDArray work;
    private INDArray output;
    private boolean fresh = true;
    private boolean statistics;
    private boolean counting;
    private INDArray inputSum;
    private INDArray inputSquareSum;
    private INDArray spikeSum;
    private long events;

    /**
     * @param thresholds one for the site, or one per channel (dimension 1 of the input)
     * @param initialMembrane v(0) as a fraction of the threshold
     * @param signed whether the neurons fire negative spikes too
     */
    IfNeurons(double[] thresholds, double initialMembrane, boolean signed, DataType dataType) {
        this.thresholds = thresholds.clone();
        this.initialMembrane = initialMembrane;
        this.signed = signed;
        this.dataType = dataType;
    }

    double[] thresholds() {
        return thresholds.clone();
    }

    boolean signed() {
        return signed;
    }

    /**
     * Starts again from v(0) at the next step.
     *
     * @param keepStatistics whether to keep running sums of the input, its square and the spikes
     *     per neuron (from zero)
     * @param countEvents whether to count the spikes ({@link #events()}, from zero)
     */
    void reset(boolean keepStatistics, boolean countEvents) {
        this.fresh = true;
        this.statistics = keepStatistics;
        this.counting = countEvents || keepStatistics;
    }

    /**
     * One time-step.
     *
     * @param current {@code [N, C, ...]}, the same shape at every step since the last reset
     * @return {@code theta * s}, a buffer valid until the next step
     */
    INDArray step(INDArray current) {
        if (fresh) {
            prepare(current.shape());
            membrane.assign(thresholdMap).muli(initialMembrane);
            if (statistics) {
                if (inputSum == null || !Arrays.equals(inputSum.shape(), shape)) {
                    inputSum = Nd4j.createUninitialized(dataType, shape);
                    inputSquareSum = Nd4j.createUninitialized(dataType, shape);
                    spikeSum = Nd4j.createUninitialized(dataType, shape);
                }
                inputSum.assign(0);
                inputSquareSum.assign(0);
                spikeSum.assign(0);
            }
            events = 0;
            fresh = false;
        } else if (!Arrays.equals(shape, current.shape())) {
            throw new IllegalArgumentException("input current " + Arrays.toString(current.shape())
                    + " differs from the " + Arrays.toString(shape) + " of earlier steps");
        }
        membrane.addi(current);
        thresholdMap.sub(membrane, spikes);
        Nd4j.getExecutioner().exec(new Step(spikes, spikes, 0.0));
        spikes.rsubi(1.0);
        if (signed) {
            negativeThresholdMap.sub(membrane, work);
            Nd4j.getExecutioner().exec(new Step(work, work, 0.0));
            spikes.subi(work);
        }
        spikes.mul(thresholdMap, output);
        membrane.subi(output);
        if (statistics) {
            inputSum.addi(current);
            current.mul(current, work);
            inputSquareSum.addi(work);
            spikeSum.addi(spikes);
        }
        if (counting) {
            events += spikes.scan(Conditions.notEquals(0.0)).longValue();
        }
        return output;
    }

    /** The spikes of the last step, {@code 0/1} ({@code -1} too for signed neurons); a buffer. */
    INDArray spikes() {
        return spikes;
    }

    /** The membrane potentials, {@code [N, C, ...]}: the only state kept between steps. */
    INDArray membrane() {
        return membrane;
    }

    /** Sum of the input currents per neuron since the reset (with statistics). */
    INDArray inputSum() {
        return inputSum;
    }

    /** Sum of the squared input currents per neuron since the reset (with statistics). */
    INDArray inputSquareSum() {
        return inputSquareSum;
    }

    /** Sum of the spikes per neuron since the reset, negative ones subtracted (with statistics). */
    INDArray spikeSum() {
        return spikeSum;
    }

    /** Spikes of either sign since the reset (when counting). */
    long events() {
        return events;
    }

    /** The thresholds spread over the shape of the current steps' input. */
    INDArray thresholdMap() {
        return thresholdMap;
    }

    /** The thresholds spread over {@code shape}: {@code theta_c} at every element of channel c (dimension 1). */
    static INDArray thresholdMap(double[] thresholds, long[] shape, DataType dataType) {
        INDArray map = Nd4j.createUninitialized(dataType, shape);
        if (thresholds.length == 1) {
            return map.assign(thresholds[0]);
        }
        if (shape.length < 2 || shape[1] != thresholds.length) {
            throw new IllegalArgumentException(thresholds.length + " channel thresholds for activations "
                    + Arrays.toString(shape));
        }
        INDArrayIndex[] index = new INDArrayIndex[shape.length];
        Arrays.fill(index, NDArrayIndex.all());
        for (int c = 0; c < thresholds.length; c++) {
            index[1] = NDArrayIndex.point(c);
            map.get(index).assign(thresholds[c]);
        }
        return map;
    }

    private void prepare(long[] of) {
        if (Arrays.equals(shape, of)) {
            return;
        }
        shape = of.clone();
        thresholdMap = thresholdMap(thresholds, of, dataType);
        negativeThresholdMap = signed ? thresholdMap.mul(2 * initialMembrane - 1) : null;
        membrane = Nd4j.createUninitialized(dataType, of);
        spikes = Nd4j.createUninitialized(dataType, of);
        work = Nd4j.createUninitialized(dataType, of);
        output = Nd4j.createUninitialized(dataType, of);
    }
}
