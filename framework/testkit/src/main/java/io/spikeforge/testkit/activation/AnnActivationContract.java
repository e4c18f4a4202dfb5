package io.spikeforge.testkit.activation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.spikeforge.api.activation.AnnActivation;
import io.spikeforge.api.model.Parameter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The checks every {@link AnnActivation} must pass. Extend it in a test class, implement
 * {@link #createActivation}, and override the hooks where the defaults do not suit the activation.
 *
 * <p><b>Gradients.</b> The backward pass is checked in double precision against central finite
 * differences, for the input and for every element of every parameter the activation owns, with
 * the loss {@code sum(R * y)} for a random {@code R}. What is differentiated is the activation's
 * <em>gradient reference</em> at the checked point ({@link #gradientReference}): by default the
 * forward pass itself, which is right for any activation that is differentiable where it is
 * sampled. An activation whose backward pass is deliberately not the derivative of its forward
 * pass (a straight-through estimator for a rounding step, as QCFS has) declares the smooth function
 * whose derivative its backward pass returns instead, for example the forward pass with each
 * rounding's offset frozen at the checked point. The contract also checks that the reference equals
 * the forward pass at the checked point, so it cannot drift from the activation it stands for.
 * Sample inputs should avoid the kinks of the reference (where even a declared gradient is
 * ambiguous): random values in {@code [-inputScale(), inputScale()]} hit one within the
 * finite-difference step with negligible probability, and {@link #sampleInput} may be overridden.
 *
 * <p><b>Other checks.</b> The output and the input gradient have the input's shape and data type,
 * in FLOAT and DOUBLE alike, for inputs {@code [B, C, H, W]} and {@code [B, C]}; parameters have
 * the data type the activation was made for, unique non-empty names without dots, and are the same
 * objects on every call (the engine keeps them); backward adds into the parameters' gradients
 * rather than replacing them; neither pass modifies its argument; two instances, and two calls, give
 * the same results exactly; forward in inference mode gives the training-mode output; backward
 * without a training-mode forward throws {@link IllegalStateException}; a declared conversion
 * threshold is finite and positive.
 */
public abstract class AnnActivationContract {
    private static final double STEP = 1e-6;
    private static final int MAX_ENTRIES_PER_PARAMETER = 16;

    /**
     * A new activation; every call a new instance.
     *
     * @param channels the channels of the inputs it will be given (dimension 1)
     * @param dataType the data type of its parameters and of its inputs
     */
    protected abstract AnnActivation createActivation(int channels, DataType dataType);

    /**
     * The smooth function of the input and the parameter values whose derivative at
     * ({@code input}, current parameter values) the backward pass must return. The default is the
     * activation's own forward pass with the given parameter values, for an activation that is
     * differentiable there. Override it for a straight-through or surrogate gradient.
     *
     * @param activation the instance checked, whose parameters hold the point's values
     * @param input the point's input (DOUBLE)
     * @return the reference; it must not change {@code activation}'s parameters or state that
     *     matters to the check, and its result must not be a buffer it reuses
     */
    protected GradientReference gradientReference(AnnActivation activation, INDArray input) {
        return (x, parameterValues) -> {
            List<Parameter> parameters = activation.parameters();
            Map<String, INDArray> saved = new LinkedHashMap<>();
            for (Parameter parameter : parameters) {
                saved.put(parameter.name(), parameter.value().dup());
                parameter.value().assign(parameterValues.get(parameter.name()));
            }
            try {
                return activation.forward(x, false).dup();
            } finally {
                parameters.forEach(parameter -> parameter.value().assign(saved.get(parameter.name())));
            }
        };
    }

    /**
     * A function of an input and parameter values, the same shape as the input.
     */
    @FunctionalInterface
    public interface GradientReference {
        /**
         * @param input an input near the checked point (DOUBLE)
         * @param parameterValues every parameter's value by name, near the checked point (DOUBLE)
         * @return the value, shaped like the input
         */
        INDArray value(INDArray input, Map<String, INDArray> parameterValues);
    }

    /** The input shapes each check samples: {@code [B, C, H, W]} and {@code [B, C]}. */
    protected List<long[]> inputShapes() {
        return List.of(new long[] {2, 3, 3, 2}, new long[] {4, 2});
    }

    /** Half-width of the range of the random inputs; it should cover the activation's interesting region. */
    protected double inputScale() {
        return 3.0;
    }

    /**
     * A random input: uniform in {@code [-inputScale(), inputScale()]}. Override to place samples
     * where the activation's gradient reference is smooth.
     */
    protected INDArray sampleInput(long[] shape, Random random) {
        double[] values = new double[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
        for (int i = 0; i < values.length; i++) {
            values[i] = (2 * random.nextDouble() - 1) * inputScale();
        }
        return Nd4j.create(values, shape, 'c');
    }

    /**
     * Largest allowed difference between an analytic gradient and central finite differences,
     * relative to {@code max(1, |analytic|, |numeric|)}.
     */
    protected double finiteDifferenceTolerance() {
        return 1e-6;
    }

    /** Seed of the random inputs. */
    protected long seed() {
        return 20241212L;
    }

    @Test
    public void inputGradientMatchesFiniteDifferences() {
        Random random = new Random(seed());
        for (long[] shape : inputShapes()) {
            AnnActivation activation = create(shape, DataType.DOUBLE);
            INDArray x = sampleInput(shape, random);
            INDArray weights = sampleInput(shape, random);
            GradientReference reference = gradientReference(activation, x);
            Map<String, INDArray> point = parameterValues(activation);
            activation.forward(x, true);
            double[] analytic = values(activation.backward(weights.dup()));
            for (int i = 0; i < analytic.length; i++) {
                INDArray plus = x.dup();
                INDArray minus = x.dup();
                plus.putScalar(i, x.getDouble(i) + STEP);
                minus.putScalar(i, x.getDouble(i) - STEP);
                double numeric = (loss(reference.value(plus, point), weights)
                        - loss(reference.value(minus, point), weights)) / (2 * STEP);
                assertClose(analytic[i], numeric, "dL/dinput[" + i + "] (input " + x.getDouble(i) + ", shape "
                        + Arrays.toString(shape) + ")");
            }
        }
    }

    @Test
    public void parameterGradientsMatchFiniteDifferences() {
        Random random = new Random(seed() + 1);
        for (long[] shape : inputShapes()) {
            AnnActivation activation = create(shape, DataType.DOUBLE);
            INDArray x = sampleInput(shape, random);
            INDArray weights = sampleInput(shape, random);
            GradientReference reference = gradientReference(activation, x);
            Map<String, INDArray> point = parameterValues(activation);
            activation.parameters().forEach(Parameter::zeroGradient);
            activation.forward(x, true);
            activation.backward(weights.dup());
            for (Parameter parameter : activation.parameters()) {
                double[] analytic = values(parameter.gradient());
                long length = parameter.value().length();
                long stride = Math.max(1, length / MAX_ENTRIES_PER_PARAMETER);
                for (long j = 0; j < length; j += stride) {
                    double numeric = (loss(reference.value(x, shifted(point, parameter.name(), j, STEP)), weights)
                            - loss(reference.value(x, shifted(point, parameter.name(), j, -STEP)), weights)) / (2 * STEP);
                    assertClose(analytic[(int) j], numeric, "dL/d" + parameter.name() + "[" + j + "] (shape "
                            + Arrays.toString(shape) + ")");
                }
            }
        }
    }

    @Test
    public void gradientReferenceEqualsTheForwardPassAtThePoint() {
        Random random = new Random(seed() + 2);
        for (long[] shape : inputShapes()) {
            AnnActivation activation = create(shape, DataType.DOUBLE);
            INDArray x = sampleInput(shape, random);
            GradientReference reference = gradientReference(activation, x);
            double[] expected = values(activation.forward(x, false).dup());
            double[] actual = values(reference.value(x, parameterValues(activation)));
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-12 * Math.max(1, Math.abs(expected[i])), "the gradient"
                        + " reference differs from the forward pass at the checked point, element " + i);
            }
        }
    }

    @Test
    public void backwardAddsToParameterGradients() {
        Random random = new Random(seed() + 3);
        for (long[] shape : inputShapes()) {
            AnnActivation activation = create(shape, DataType.DOUBLE);
            INDArray x = sampleInput(shape, random);
            INDArray weights = sampleInput(shape, random);
            activation.parameters().forEach(Parameter::zeroGradient);
            activation.forward(x, true);
            activation.backward(weights);
            Map<String, INDArray> once = new LinkedHashMap<>();
            Map<String, INDArray> before = new LinkedHashMap<>();
            for (Parameter parameter : activation.parameters()) {
                once.put(parameter.name(), parameter.gradient().dup());
                INDArray start = parameter.gradient().dup();
                for (long i = 0; i < start.length(); i++) {
                    start.putScalar(i, random.nextGaussian());
                }
                parameter.gradient().assign(start);
                before.put(parameter.name(), start);
            }
            activation.forward(x, true);
            activation.backward(weights);
            for (Parameter parameter : activation.parameters()) {
                double[] expected = values(before.get(parameter.name()).add(once.get(parameter.name())));
                double[] actual = values(parameter.gradient());
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], actual[i], 1e-12 * Math.max(1, Math.abs(expected[i])), "backward must add"
                            + " dL/d" + parameter.name() + " to the gradient there, not replace it (entry " + i + ")");
                }
            }
        }
    }

    @Test
    public void shapesAndDataTypesFollowTheInput() {
        Random random = new Random(seed() + 4);
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            for (long[] shape : inputShapes()) {
                AnnActivation activation = create(shape, type);
                for (Parameter parameter : activation.parameters()) {
                    assertEquals(type, parameter.value().dataType(), "parameter " + parameter.name()
                            + " of an activation made for " + type);
                    assertEquals(type, parameter.gradient().dataType(), "gradient of " + parameter.name());
                }
                INDArray x = sampleInput(shape, random).castTo(type);
                INDArray y = activation.forward(x, true);
                assertNotNull(y, "forward returned null");
                assertArrayEquals(shape, y.shape(), "the output's shape must be the input's");
                assertEquals(type, y.dataType(), "the output's data type must be the input's");
                INDArray gradient = activation.backward(sampleInput(shape, random).castTo(type));
                assertNotNull(gradient, "backward returned null");
                assertArrayEquals(shape, gradient.shape(), "dL/dinput's shape must be the input's");
                assertEquals(type, gradient.dataType(), "dL/dinput's data type must be the input's");
            }
        }
    }

    @Test
    public void parametersHaveUniqueNamesAndStayTheSame() {
        for (long[] shape : inputShapes()) {
            AnnActivation activation = create(shape, DataType.DOUBLE);
            List<Parameter> first = activation.parameters();
            assertNotNull(first, "parameters() returned null");
            Set<String> names = new HashSet<>();
            for (Parameter parameter : first) {
                String name = parameter.name();
                assertTrue(!name.isEmpty() && !name.contains("."), () -> "parameter name '" + name
                        + "' must be non-empty and without dots (it ends a state-dict name such as layer1.0.act1."
                        + name + ")");
                assertTrue(names.add(name), () -> "two parameters are named '" + name + "'");
            }
            activation.forward(sampleInput(shape, new Random(seed())), true);
            List<Parameter> again = activation.parameters();
            assertEquals(first.size(), again.size(), "parameters() must return the same parameters on every call");
            for (int i = 0; i < first.size(); i++) {
                assertSame(first.get(i), again.get(i), "parameters() must return the same Parameter objects on every"
                        + " call: the model and the optimizer keep them");
            }
        }
    }

    @Test
    public void doesNotModifyItsArguments() {
        Random random = new Random(seed() + 5);
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            for (long[] shape : inputShapes()) {
                AnnActivation activation = create(shape, type);
                INDArray x = sampleInput(shape, random).castTo(type);
                INDArray g = sampleInput(shape, random).castTo(type);
                INDArray xBefore = x.dup();
                INDArray gBefore = g.dup();
                activation.forward(x, true);
                assertArrayEquals(values(xBefore), values(x), "forward modified its input (" + type + ")");
                activation.backward(g);
                assertArrayEquals(values(xBefore), values(x), "backward modified the saved input (" + type + ")");
                assertArrayEquals(values(gBefore), values(g), "backward modified gradOutput (" + type + ")");
            }
        }
    }

    @Test
    public void isDeterministic() {
        Random random = new Random(seed() + 6);
        for (long[] shape : inputShapes()) {
            INDArray x = sampleInput(shape, random);
            INDArray g = sampleInput(shape, random);
            AnnActivation first = create(shape, DataType.DOUBLE);
            AnnActivation second = create(shape, DataType.DOUBLE);
            Result a = run(first, x, g);
            Result again = run(first, x, g);
            Result b = run(second, x, g);
            for (Result other : List.of(again, b)) {
                assertArrayEquals(a.output, other.output, "two forward passes on the same input differ");
                assertArrayEquals(a.gradInput, other.gradInput, "two backward passes on the same input differ");
                assertEquals(a.gradients.keySet(), other.gradients.keySet(), "parameter names differ");
                a.gradients.forEach((name, gradient) -> assertArrayEquals(gradient, other.gradients.get(name),
                        "two backward passes give different dL/d" + name));
            }
        }
    }

    @Test
    public void inferenceForwardEqualsTrainingForward() {
        Random random = new Random(seed() + 7);
        for (long[] shape : inputShapes()) {
            AnnActivation activation = create(shape, DataType.DOUBLE);
            INDArray x = sampleInput(shape, random);
            double[] trained = values(activation.forward(x, true).dup());
            double[] inferred = values(activation.forward(x, false).dup());
            assertArrayEquals(trained, inferred, "forward in inference mode must give the training-mode output");
        }
    }

    @Test
    public void backwardWithoutATrainingForwardThrows() {
        long[] shape = inputShapes().get(0);
        AnnActivation activation = create(shape, DataType.DOUBLE);
        INDArray g = sampleInput(shape, new Random(seed()));
        assertThrows(IllegalStateException.class, () -> activation.backward(g),
                "backward before any forward must throw IllegalStateException");
    }

    @Test
    public void declaredConversionThresholdIsPositive() {
        for (long[] shape : inputShapes()) {
            OptionalDouble threshold = create(shape, DataType.DOUBLE).conversionThreshold();
            assertNotNull(threshold, "conversionThreshold() returned null; return OptionalDouble.empty() for none");
            threshold.ifPresent(value -> assertTrue(Double.isFinite(value) && value > 0,
                    "a conversion threshold must be finite and positive, got " + value));
        }
    }

    private AnnActivation create(long[] shape, DataType type) {
        AnnActivation activation = createActivation(Math.toIntExact(shape[1]), type);
        assertNotNull(activation, "createActivation returned null");
        return activation;
    }

    private record Result(double[] output, double[] gradInput, Map<String, double[]> gradients) {
    }

    private static Result run(AnnActivation activation, INDArray x, INDArray g) {
        activation.parameters().forEach(Parameter::zeroGradient);
        double[] output = values(activation.forward(x, true));
        double[] gradInput = values(activation.backward(g));
        Map<String, double[]> gradients = new LinkedHashMap<>();
        activation.parameters().forEach(p -> gradients.put(p.name(), values(p.gradient())));
        return new Result(output, gradInput, gradients);
    }

    private static Map<String, INDArray> parameterValues(AnnActivation activation) {
        Map<String, INDArray> values = new LinkedHashMap<>();
        activation.parameters().forEach(p -> values.put(p.name(), p.value().dup()));
        return values;
    }

    private static Map<String, INDArray> shifted(Map<String, INDArray> point, String name, long index, double by) {
        Map<String, INDArray> shifted = new LinkedHashMap<>(point);
        INDArray value = point.get(name).dup();
        INDArray flat = value.reshape(value.length());
        flat.putScalar(index, flat.getDouble(index) + by);
        shifted.put(name, value);
        return shifted;
    }

    private static double loss(INDArray output, INDArray weights) {
        double[] y = values(output);
        double[] w = values(weights);
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += y[i] * w[i];
        }
        return sum;
    }

    private void assertClose(double analytic, double numeric, String what) {
        double scale = Math.max(1, Math.max(Math.abs(analytic), Math.abs(numeric)));
        if (!(Math.abs(analytic - numeric) <= finiteDifferenceTolerance() * scale)) {
            fail(what + ": backward gives " + analytic + " but central finite differences of the gradient reference "
                    + numeric);
        }
    }

    private static double[] values(INDArray array) {
        return array.castTo(DataType.DOUBLE).dup('c').reshape(array.length()).toDoubleVector();
    }
}
