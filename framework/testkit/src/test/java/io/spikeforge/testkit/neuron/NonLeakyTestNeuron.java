package io.spikeforge.testkit.neuron;

import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A neuron model written for these tests with plain loops: integrate-and-fire without leak,
 * {@code H[t] = V[t-1] + X[t]}, {@code V[-1] = 0}, spike when {@code H >= 1}, hard reset to 0 left out
 * of the gradient. It can carry one deliberate defect, which the contract must catch.
 */
final class NonLeakyTestNeuron implements NeuronModel {
    static final double THRESHOLD = 1.0;

    /** The defects, each of which one contract check must catch. */
    enum Defect {
        NONE,
        /** The charge also takes a tenth of the same feature's current in the next sample. */
        MIXES_BATCH,
        /** The charge also takes a tenth of the next step's current. */
        PEEKS_AHEAD,
        /** dL/dcurrent at step t also takes a tenth of dL/dspikes at step t-1. */
        GRADIENT_FROM_EARLIER_STEP,
        /** Backward forgets the path through the next step's membrane. */
        DROPS_RECURRENCE,
        /** Backward uses {@code g * |g|} instead of {@code g}. */
        NONLINEAR_BACKWARD,
        /** Backward without a forward returns zeros instead of throwing. */
        NO_STATE_CHECK,
        /** Results are always DOUBLE. */
        ALWAYS_DOUBLE,
        /** Forward overwrites the current it was given. */
        MUTATES_INPUT
    }

    private final SurrogateFunction surrogate;
    private final Defect defect;
    private double[][] charges;
    private double[][] spikes;
    private long[] shape;
    private DataType type;

    NonLeakyTestNeuron(SurrogateFunction surrogate, Defect defect) {
        this.surrogate = surrogate;
        this.defect = defect;
    }

    @Override
    public INDArray forward(INDArray current, int timeSteps, boolean training) {
        if (current.size(0) % timeSteps != 0) {
            throw new IllegalArgumentException("rows " + current.size(0) + " are not a multiple of T = " + timeSteps);
        }
        double[][] x = byStep(current, timeSteps);
        int perStep = x[0].length;
        int perSample = (int) (current.length() / current.size(0));
        double[][] h = new double[timeSteps][perStep];
        double[][] s = new double[timeSteps][perStep];
        for (int m = 0; m < perStep; m++) {
            double v = 0;
            for (int t = 0; t < timeSteps; t++) {
                h[t][m] = v + x[t][m];
                if (defect == Defect.MIXES_BATCH) {
                    h[t][m] += 0.1 * x[t][(m + perSample) % perStep];
                }
                if (defect == Defect.PEEKS_AHEAD && t + 1 < timeSteps) {
                    h[t][m] += 0.1 * x[t + 1][m];
                }
                s[t][m] = h[t][m] >= THRESHOLD ? 1 : 0;
                v = s[t][m] == 1 ? 0 : h[t][m];
            }
        }
        if (defect == Defect.MUTATES_INPUT) {
            current.assign(0);
        }
        if (training) {
            charges = h;
            spikes = s;
            shape = current.shape().clone();
            type = current.dataType();
        }
        return toArray(s, current.shape(), current.dataType());
    }

    @Override
    public INDArray backward(INDArray gradSpikes) {
        if (charges == null) {
            if (defect == Defect.NO_STATE_CHECK) {
                return Nd4j.zeros(gradSpikes.dataType(), gradSpikes.shape());
            }
            throw new IllegalStateException("backward needs a training-mode forward first");
        }
        if (!Arrays.equals(shape, gradSpikes.shape())) {
            throw new IllegalArgumentException("dL/dspikes has shape " + Arrays.toString(gradSpikes.shape())
                    + ", expected " + Arrays.toString(shape));
        }
        int steps = charges.length;
        int perStep = charges[0].length;
        double[][] g = byStep(gradSpikes, steps);
        double[][] grad = new double[steps][perStep];
        for (int m = 0; m < perStep; m++) {
            double throughNext = 0;
            for (int t = steps - 1; t >= 0; t--) {
                double upstream = defect == Defect.NONLINEAR_BACKWARD ? g[t][m] * Math.abs(g[t][m]) : g[t][m];
                double direct = upstream * surrogate.derivative(charges[t][m] - THRESHOLD);
                double recurrent = defect == Defect.DROPS_RECURRENCE ? 0 : throughNext * (1 - spikes[t][m]);
                grad[t][m] = direct + recurrent;
                throughNext = grad[t][m];
            }
        }
        if (defect == Defect.GRADIENT_FROM_EARLIER_STEP) {
            for (int t = steps - 1; t > 0; t--) {
                for (int m = 0; m < perStep; m++) {
                    grad[t][m] += 0.1 * g[t - 1][m];
                }
            }
        }
        return toArray(grad, shape, type);
    }

    @Override
    public void clear() {
        charges = null;
        spikes = null;
        shape = null;
        type = null;
    }

    private static double[][] byStep(INDArray array, int steps) {
        double[] flat = SurrogateFunctionContract.flatten(array);
        int perStep = flat.length / steps;
        double[][] out = new double[steps][];
        for (int t = 0; t < steps; t++) {
            out[t] = Arrays.copyOfRange(flat, t * perStep, (t + 1) * perStep);
        }
        return out;
    }

    private INDArray toArray(double[][] byStep, long[] shape, DataType type) {
        double[] flat = Arrays.stream(byStep).flatMapToDouble(Arrays::stream).toArray();
        return Nd4j.createFromArray(flat).reshape('c', shape).castTo(defect == Defect.ALWAYS_DOUBLE
                ? DataType.DOUBLE : type);
    }
}
