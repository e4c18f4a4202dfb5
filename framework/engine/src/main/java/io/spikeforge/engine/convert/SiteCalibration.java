package io.spikeforge.engine.convert;

import io.spikeforge.api.convert.ConversionError;
import io.spikeforge.api.convert.LayerCalibration;
import io.spikeforge.api.convert.ThresholdGranularity;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * What a threshold strategy sees of one site during calibration: the pure ANN's activations there
 * and the site's actual input currents, {@code [T*N, ...]} time-major per calibration batch, from
 * the already converted layers before it.
 */
final class SiteCalibration implements LayerCalibration, AutoCloseable {
    /**
     * Where {@link #measure} computes, one batch at a time: a search strategy measures dozens of
     * candidate thresholds per site, and each measurement's temporaries are the size of the
     * calibration data; in a workspace they reuse one buffer instead of piling up until the JVM's
     * collector runs (10 GB resident for ResNet-20 before).
     */
    private static final WorkspaceConfiguration MEASURE_WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .overallocationLimit(0.2)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();
    private static final String MEASURE_WORKSPACE_ID = "spikeforge-conversion-measure";

    private final Node.Site site;
    private final ThresholdGranularity granularity;
    private final int timeSteps;
    private final double initialMembrane;
    private final List<INDArray> annActivations;
    private final List<INDArray> currents;
    private final DataType dataType;
    private INDArray allAnnActivations;
    private List<INDArray> meanCurrents;

    /**
     * @param annActivations per batch {@code [N, C, ...]}
     * @param currents per batch {@code [T*N, C, ...]}, time-step t in rows {@code t*N .. t*N+N-1}
     */
    SiteCalibration(Node.Site site, ConversionSettings settings, List<INDArray> annActivations,
                    List<INDArray> currents, DataType dataType) {
        this.site = site;
        this.granularity = settings.granularity();
        this.timeSteps = settings.calibrationTimeSteps();
        this.initialMembrane = settings.initialMembrane();
        this.annActivations = annActivations;
        this.currents = currents;
        this.dataType = dataType;
    }

    @Override
    public String layerName() {
        return site.name();
    }

    @Override
    public ThresholdGranularity granularity() {
        return granularity;
    }

    @Override
    public int channels() {
        return site.channels();
    }

    @Override
    public int timeSteps() {
        return timeSteps;
    }

    @Override
    public double initialMembrane() {
        return initialMembrane;
    }

    /** The ANN's activations of all calibration batches; their magnitudes at a signed site. */
    @Override
    public INDArray annActivations() {
        if (allAnnActivations == null) {
            INDArray all = annActivations.size() == 1 ? annActivations.get(0)
                    : Nd4j.concat(0, annActivations.toArray(INDArray[]::new));
            allAnnActivations = site.signed() ? Transforms.abs(all, true) : all;
        }
        return allAnnActivations;
    }

    @Override
    public OptionalDouble activationThreshold() {
        return site.activationThreshold();
    }

    @Override
    public ConversionError measure(INDArray thresholds) {
        double[] values = Thresholds.check(thresholds, thresholdCount(), site.name());
        int count = values.length;
        double[] quantization = new double[count];
        double[] deviation = new double[count];
        long elements = 0;
        for (int b = 0; b < annActivations.size(); b++) {
            INDArray ann = annActivations.get(b);
            INDArray meanCurrent = meanCurrent(b); // cached outside the workspace: it outlives the call
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager()
                    .getAndActivateWorkspace(MEASURE_WORKSPACE, MEASURE_WORKSPACE_ID)) {
                IfNeurons neurons = new IfNeurons(values, initialMembrane, site.signed(), dataType);
                INDArray thresholdMap = IfNeurons.thresholdMap(values, ann.shape(), dataType);
                add(quantization, Quantization.squaredErrorSums(ann,
                        Quantization.quantize(ann, thresholdMap, timeSteps, initialMembrane, site.signed()),
                        granularity));
                INDArray spikeCount = run(neurons, currents.get(b), ann.size(0), null);
                INDArray rate = spikeCount.mul(thresholdMap).divi(timeSteps);
                INDArray quantizedMean = Quantization.quantize(meanCurrent, thresholdMap, timeSteps, initialMembrane,
                        site.signed());
                add(deviation, Quantization.squaredErrorSums(rate, quantizedMean, granularity));
            }
            elements += Quantization.elementsPerThreshold(ann, granularity);
        }
        for (int k = 0; k < count; k++) {
            quantization[k] /= elements;
            deviation[k] /= elements;
        }
        return new ConversionError(quantization, deviation);
    }

    /**
     * Runs neurons over the T steps of one batch's currents.
     *
     * @param output where each step's output goes ({@code [T*N, ...]}), or null
     * @return the spike count per neuron (negative spikes subtracted), a new array
     */
    static INDArray run(IfNeurons neurons, INDArray currents, long batch, INDArray output) {
        long steps = currents.size(0) / batch;
        INDArray count = null;
        neurons.reset(false, false);
        for (long t = 0; t < steps; t++) {
            INDArray out = neurons.step(currents.get(NDArrayIndex.interval(t * batch, (t + 1) * batch)));
            if (output != null) {
                output.get(NDArrayIndex.interval(t * batch, (t + 1) * batch)).assign(out);
            }
            count = count == null ? neurons.spikes().dup() : count.addi(neurons.spikes());
        }
        return count;
    }

    private INDArray meanCurrent(int batch) {
        if (meanCurrents == null) {
            meanCurrents = new ArrayList<>();
            for (int b = 0; b < currents.size(); b++) {
                INDArray c = currents.get(b);
                long n = annActivations.get(b).size(0);
                long[] shape = c.shape().clone();
                shape[0] = n;
                long[] split = new long[shape.length + 1];
                split[0] = timeSteps;
                System.arraycopy(shape, 0, split, 1, shape.length);
                meanCurrents.add(c.reshape(split).mean(0));
            }
        }
        return meanCurrents.get(batch);
    }

    /** Frees what this view of the calibration derived (the inputs belong to the calibrator). */
    @Override
    public void close() {
        if (allAnnActivations != null && annActivations.stream().noneMatch(a -> a == allAnnActivations)) {
            Calibrator.closeAll(List.of(allAnnActivations));
        }
        allAnnActivations = null;
        if (meanCurrents != null) {
            Calibrator.closeAll(meanCurrents);
            meanCurrents = null;
        }
    }

    private static void add(double[] into, double[] values) {
        for (int k = 0; k < into.length; k++) {
            into[k] += values[k];
        }
    }
}
