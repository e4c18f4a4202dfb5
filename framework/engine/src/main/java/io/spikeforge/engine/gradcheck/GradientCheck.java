package io.spikeforge.engine.gradcheck;

import io.spikeforge.engine.layer.Layer;
import io.spikeforge.api.model.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Compares analytic gradients with central finite differences.
 *
 * <p>The scalar loss is {@code L = sum(output * R)} for a fixed random R (standard normal, from the
 * seed), so dL/doutput = R exercises every output entry with a different weight. For each checked
 * entry x of an input or parameter, the numerical derivative is
 * {@code (L(x + h) - L(x - h)) / 2h}. An entry passes when the absolute difference from the
 * analytic value is at most the absolute floor (which absorbs rounding noise on gradients near
 * zero) or the relative error {@code |a - n| / max(|a|, |n|)} is at most the tolerance.
 *
 * <p>Everything must be double precision: in float the rounding error of L swamps the difference
 * quotient. Immutable; configure with the {@code with...} methods.
 */
public final class GradientCheck {
    private final double step;
    private final double maxRelativeError;
    private final double absoluteErrorFloor;
    private final int maxEntriesPerTensor;
    private final long seed;

    private GradientCheck(double step, double maxRelativeError, double absoluteErrorFloor, int maxEntriesPerTensor,
            long seed) {
        this.step = step;
        this.maxRelativeError = maxRelativeError;
        this.absoluteErrorFloor = absoluteErrorFloor;
        this.maxEntriesPerTensor = maxEntriesPerTensor;
        this.seed = seed;
    }

    /** Step 1e-6, relative tolerance 1e-5, absolute floor 1e-7, at most 500 entries per tensor, seed 42. */
    public static GradientCheck withDefaults() {
        return new GradientCheck(1e-6, 1e-5, 1e-7, 500, 42);
    }

    /** The finite-difference step h. */
    public GradientCheck withStep(double newStep) {
        return new GradientCheck(newStep, maxRelativeError, absoluteErrorFloor, maxEntriesPerTensor, seed);
    }

    /** The largest relative error an entry may have. */
    public GradientCheck withMaxRelativeError(double newMaxRelativeError) {
        return new GradientCheck(step, newMaxRelativeError, absoluteErrorFloor, maxEntriesPerTensor, seed);
    }

    /** Absolute differences up to this pass regardless of the relative error. */
    public GradientCheck withAbsoluteErrorFloor(double newFloor) {
        return new GradientCheck(step, maxRelativeError, newFloor, maxEntriesPerTensor, seed);
    }

    /** Larger tensors are checked at this many entries drawn at random. */
    public GradientCheck withMaxEntriesPerTensor(int newMax) {
        return new GradientCheck(step, maxRelativeError, absoluteErrorFloor, newMax, seed);
    }

    /** Seed of R and of the entry sample. */
    public GradientCheck withSeed(long newSeed) {
        return new GradientCheck(step, maxRelativeError, absoluteErrorFloor, maxEntriesPerTensor, newSeed);
    }

    /** Checks a layer in training mode at the given input. */
    public GradientCheckResult check(Layer layer, INDArray input) {
        return check(DifferentiableFunction.of(layer), List.of(input));
    }

    /**
     * Checks dL/dinput for every input and dL/dparameter for every parameter of {@code function}.
     * Parameter gradients are zeroed first; inputs and parameter values are perturbed in place and
     * restored.
     *
     * @param function what to check
     * @param inputs its inputs, double precision
     * @return per-tensor results
     */
    public GradientCheckResult check(DifferentiableFunction function, List<INDArray> inputs) {
        for (INDArray input : inputs) {
            requireDouble("input", input);
        }
        for (Parameter parameter : function.parameters()) {
            requireDouble(parameter.name(), parameter.value());
            parameter.zeroGradient();
        }
        Random random = new Random(seed);
        INDArray output = function.forward(inputs);
        requireDouble("output", output);
        INDArray lossWeights = standardNormal(random, output.shape());
        List<INDArray> inputGradients = function.backward(lossWeights);
        if (inputGradients.size() != inputs.size()) {
            throw new IllegalArgumentException("backward returned " + inputGradients.size() + " gradients for "
                    + inputs.size() + " inputs");
        }

        List<TensorUnderCheck> tensors = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            tensors.add(new TensorUnderCheck("input" + i, inputs.get(i), inputGradients.get(i).dup()));
        }
        for (Parameter parameter : function.parameters()) {
            tensors.add(new TensorUnderCheck(parameter.name(), parameter.value(), parameter.gradient().dup()));
        }
        List<GradientCheckResult.TensorResult> results = new ArrayList<>();
        for (TensorUnderCheck tensor : tensors) {
            results.add(checkTensor(function, inputs, lossWeights, tensor, random));
        }
        // leave the function's saved state as it was for the unperturbed values
        function.forward(inputs);
        return new GradientCheckResult(results);
    }

    private GradientCheckResult.TensorResult checkTensor(DifferentiableFunction function, List<INDArray> inputs,
            INDArray lossWeights, TensorUnderCheck tensor, Random random) {
        INDArray values = tensor.values;
        if (!Arrays.equals(tensor.analytic.shape(), values.shape())) {
            throw new IllegalArgumentException("gradient of " + tensor.name + " has shape "
                    + Arrays.toString(tensor.analytic.shape()) + ", expected " + Arrays.toString(values.shape()));
        }
        int failed = 0;
        double worstError = 0;
        String worstEntry = "";
        long[] entries = entriesToCheck(values.length(), random);
        for (long entry : entries) {
            double original = values.getDouble(entry);
            values.putScalar(entry, original + step);
            double lossPlus = loss(function, inputs, lossWeights);
            values.putScalar(entry, original - step);
            double lossMinus = loss(function, inputs, lossWeights);
            values.putScalar(entry, original);
            double numerical = (lossPlus - lossMinus) / (2 * step);
            double analytic = tensor.analytic.getDouble(entry);
            double difference = Math.abs(analytic - numerical);
            if (difference <= absoluteErrorFloor) {
                continue;
            }
            double relative = difference / Math.max(Math.abs(analytic), Math.abs(numerical));
            if (relative > maxRelativeError) {
                failed++;
            }
            if (relative > worstError) {
                worstError = relative;
                worstEntry = String.format("entry %d (analytic %.8g, numerical %.8g)", entry, analytic, numerical);
            }
        }
        return new GradientCheckResult.TensorResult(tensor.name, entries.length, failed, worstError, worstEntry);
    }

    private long[] entriesToCheck(long length, Random random) {
        if (length <= maxEntriesPerTensor) {
            long[] all = new long[(int) length];
            Arrays.setAll(all, i -> i);
            return all;
        }
        return random.longs(0, length).distinct().limit(maxEntriesPerTensor).sorted().toArray();
    }

    private static double loss(DifferentiableFunction function, List<INDArray> inputs, INDArray lossWeights) {
        INDArray output = function.forward(inputs);
        return output.mul(lossWeights).sumNumber().doubleValue();
    }

    private static INDArray standardNormal(Random random, long[] shape) {
        long length = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] values = new double[Math.toIntExact(length)];
        Arrays.setAll(values, i -> random.nextGaussian());
        return Nd4j.create(values, shape, DataType.DOUBLE);
    }

    private static void requireDouble(String what, INDArray array) {
        if (array.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("gradient checks need double precision, but " + what + " is "
                    + array.dataType());
        }
    }

    private record TensorUnderCheck(String name, INDArray values, INDArray analytic) {
    }
}
