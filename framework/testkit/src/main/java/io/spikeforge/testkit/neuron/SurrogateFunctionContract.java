package io.spikeforge.testkit.neuron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Contract tests for a {@link SurrogateFunction}. Extend this class, return the surrogates to test from
 * {@link #surrogates()} (for example one per interesting parameter value), and every check below runs
 * on each of them:
 *
 * <ul>
 *   <li>{@link #arrayFormMatchesScalarForm}: the array form returns {@code out} and equals the scalar
 *       form element by element, in DOUBLE strictly (within 1e-12 relative) and in FLOAT within 1e-5;
 *       samples are random points of {@code [-sampleHalfWidth(), sampleHalfWidth()]} plus a grid of
 *       dyadic points (exact in float, so they hit boundaries such as {@code |u| = 1/2} exactly). In
 *       FLOAT a mismatch is allowed only where the scalar form jumps between the sample and its
 *       neighbouring floats, since an implementation may round its constants to float;
 *   <li>{@link #arrayFormWorksInPlace}: {@code out == u} gives the same values;
 *   <li>{@link #arrayFormLeavesInputUnchanged}: {@code u} is not modified when {@code out != u};
 *   <li>{@link #arrayFormWorksOnViews}: strided views as {@code u} and {@code out} work;
 *   <li>{@link #arrayFormWorksOnEveryLayout}: rank 4 in C and Fortran order, a permuted view, a
 *       strided sub-block view and a contiguous view at an offset, a scalar (rank 0), each as
 *       {@code u} with {@code out} of the other order, and in place on a dense copy, in DOUBLE and
 *       FLOAT;
 *   <li>{@link #chunkFormMatchesScalarForm}: the heap-array form that fused neuron kernels call
 *       ({@code derivative(float[], float[], int)}) equals the scalar form at float points exactly
 *       (up to rounding to float), in place, and touches no element beyond {@code length};
 *   <li>{@link #derivativeIsNonNegativeAndFinite}, also far from the threshold and at huge inputs;
 *   <li>{@link #derivativeIsPositiveAtThreshold}: gradient flows at {@code u = 0};
 *   <li>{@link #derivativeIsSymmetricWhenDeclared}: {@code f(u) = f(-u)} if {@link #symmetric()};
 *   <li>{@link #derivativeIntegratesToOne}: the area under the scalar form over
 *       {@code [-integrationHalfWidth(), integrationHalfWidth()]} is 1 within {@link #areaTolerance()},
 *       as a stand-in for a unit step's derivative should be; opt out with {@link #unitAreaExemption()}.
 * </ul>
 *
 * <p>The check methods are public so that they can also be called directly.
 */
public abstract class SurrogateFunctionContract {
    private static final long SEED = 20230601L;
    private static final int RANDOM_SAMPLES = 4000;
    private static final double DOUBLE_TOLERANCE = 1e-12;
    private static final double FLOAT_TOLERANCE = 1e-5;

    /** The surrogates under test; the checks run on each. */
    protected abstract List<SurrogateFunction> surrogates();

    /** Half-width of the range of {@code u} sampled for comparisons; it should cover the non-zero region. */
    protected double sampleHalfWidth() {
        return 3.0;
    }

    /** Whether the surrogates are even functions, {@code f(u) = f(-u)}. */
    protected boolean symmetric() {
        return false;
    }

    /** A reason why the surrogates need not have unit area, or empty when they must. */
    protected Optional<String> unitAreaExemption() {
        return Optional.empty();
    }

    /** Half-width of the interval the area is integrated over; heavy-tailed surrogates may need more. */
    protected double integrationHalfWidth() {
        return 100.0;
    }

    /** Allowed deviation of the area from 1. */
    protected double areaTolerance() {
        return 0.01;
    }

    @Test
    public void arrayFormMatchesScalarForm() {
        for (SurrogateFunction surrogate : surrogates()) {
            for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
                INDArray u = samples(type);
                INDArray out = Nd4j.zeros(type, u.shape());
                INDArray returned = surrogate.derivative(u, out);
                assertSame(out, returned, () -> surrogate + ": derivative(u, out) must return out");
                assertMatchesScalar(surrogate, u, out, type + " array form");
            }
        }
    }

    @Test
    public void chunkFormMatchesScalarForm() {
        for (SurrogateFunction surrogate : surrogates()) {
            INDArray sampled = samples(DataType.FLOAT);
            float[] u = sampled.dup().data().asFloat();
            int length = u.length - 3;
            float[] out = new float[u.length];
            Arrays.fill(out, -7f);
            surrogate.derivative(u, out, length);
            float[] inPlace = u.clone();
            surrogate.derivative(inPlace, inPlace, length);
            for (int i = 0; i < length; i++) {
                float expected = (float) surrogate.derivative(u[i]);
                int index = i;
                assertEquals(expected, out[i], 0f, () -> surrogate + ": chunk form at u = " + u[index]);
                assertEquals(expected, inPlace[i], 0f, () -> surrogate + ": in-place chunk form at u = " + u[index]);
            }
            for (int i = length; i < u.length; i++) {
                assertEquals(-7f, out[i], 0f, () -> surrogate + ": the chunk form wrote beyond length");
                assertEquals(u[i], inPlace[i], 0f, () -> surrogate + ": the chunk form wrote beyond length");
            }
        }
    }

    @Test
    public void arrayFormWorksInPlace() {
        for (SurrogateFunction surrogate : surrogates()) {
            for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
                INDArray u = samples(type);
                INDArray separate = surrogate.derivative(u, Nd4j.zeros(type, u.shape()));
                INDArray inPlace = u.dup();
                INDArray returned = surrogate.derivative(inPlace, inPlace);
                assertSame(inPlace, returned, () -> surrogate + ": derivative(u, u) must return u");
                assertArrayEqualsExactly(separate, inPlace, surrogate + ", " + type
                        + ": in place (out == u) differs from out != u");
            }
        }
    }

    @Test
    public void arrayFormLeavesInputUnchanged() {
        for (SurrogateFunction surrogate : surrogates()) {
            for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
                INDArray u = samples(type);
                INDArray before = u.dup();
                surrogate.derivative(u, Nd4j.zeros(type, u.shape()));
                assertArrayEqualsExactly(before, u, surrogate + ", " + type + ": derivative(u, out) modified u");
            }
        }
    }

    @Test
    public void arrayFormWorksOnViews() {
        for (SurrogateFunction surrogate : surrogates()) {
            for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
                // Column 1 of a [n, 3] matrix: a view with stride 3; the output is a strided view too.
                INDArray matrix = samples(type).reshape('c', -1, 3).dup();
                INDArray u = matrix.get(NDArrayIndex.all(), NDArrayIndex.point(1));
                INDArray outMatrix = Nd4j.zeros(type, matrix.shape());
                INDArray out = outMatrix.get(NDArrayIndex.all(), NDArrayIndex.point(2));
                surrogate.derivative(u, out);
                assertMatchesScalar(surrogate, u, out, type + " strided view");
                assertEquals(0.0, outMatrix.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2)).amaxNumber()
                        .doubleValue(), () -> surrogate + ", " + type + ": wrote outside the out view");
                INDArray transposed = matrix.transpose();
                INDArray transposedOut = Nd4j.zeros(type, matrix.shape()).transpose();
                surrogate.derivative(transposed, transposedOut);
                assertMatchesScalar(surrogate, transposed, transposedOut, type + " transposed view");
            }
        }
    }

    @Test
    public void arrayFormWorksOnEveryLayout() {
        for (SurrogateFunction surrogate : surrogates()) {
            for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
                INDArray flat = samples(type);
                long[] shape = {3, 2, 5, flat.length() / 30};
                INDArray c = flat.get(NDArrayIndex.interval(0, 30 * shape[3])).reshape('c', shape).dup('c');
                INDArray f = c.dup('f');
                INDArray permuted = c.permute(3, 1, 0, 2);
                INDArray block = c.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all(), NDArrayIndex.interval(1, 4),
                        NDArrayIndex.interval(2, shape[3]));
                INDArray rows = c.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.all());
                INDArray scalar = Nd4j.scalar(type, 0.25);
                for (INDArray u : List.of(c, f, permuted, block, rows, scalar)) {
                    String layout = type + " shape " + Arrays.toString(u.shape()) + " order " + u.ordering()
                            + " strides " + Arrays.toString(u.stride()) + " offset " + u.offset();
                    char otherOrder = u.ordering() == 'c' ? 'f' : 'c';
                    INDArray out = Nd4j.create(type, u.shape(), Nd4j.getStrides(u.shape(), otherOrder), otherOrder);
                    assertSame(out, surrogate.derivative(u, out), () -> surrogate + ": derivative(u, out) must return out");
                    assertMatchesScalar(surrogate, u, out, layout);
                    INDArray inPlace = u.dup(u.ordering());
                    surrogate.derivative(inPlace, inPlace);
                    assertMatchesScalar(surrogate, u, inPlace, layout + " in place");
                }
                // a contiguous view at an offset, in place: u and out dense but not at their buffer's start
                INDArray copy = c.dup();
                INDArray rowsOfCopy = copy.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.all());
                surrogate.derivative(rowsOfCopy, rowsOfCopy);
                assertMatchesScalar(surrogate, rows, rowsOfCopy, type + " contiguous view at an offset, in place");
                assertEquals(0.0, copy.get(NDArrayIndex.point(0)).sub(c.get(NDArrayIndex.point(0))).amaxNumber()
                        .doubleValue(), () -> surrogate + ", " + type + ": wrote outside the view at an offset");
            }
        }
    }

    @Test
    public void derivativeIsNonNegativeAndFinite() {
        double[] extremes = {-1e30, -1e6, -1e3, -50, 50, 1e3, 1e6, 1e30, Double.MIN_VALUE, -Double.MIN_VALUE, 0};
        for (SurrogateFunction surrogate : surrogates()) {
            for (double u : extremes) {
                double value = surrogate.derivative(u);
                assertTrue(value >= 0 && Double.isFinite(value),
                        () -> surrogate + ": derivative(" + u + ") must be finite and >= 0, got " + value);
            }
            for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
                INDArray u = Nd4j.concat(0, samples(type), Nd4j.createFromArray(extremes).castTo(type));
                double[] values = flatten(surrogate.derivative(u, Nd4j.zeros(type, u.shape())));
                double[] points = flatten(u);
                for (int i = 0; i < values.length; i++) {
                    double value = values[i];
                    double point = points[i];
                    assertTrue(value >= 0 && Double.isFinite(value), () -> surrogate + ", " + type
                            + ": array form at u = " + point + " must be finite and >= 0, got " + value);
                }
            }
        }
    }

    @Test
    public void derivativeIsPositiveAtThreshold() {
        for (SurrogateFunction surrogate : surrogates()) {
            assertTrue(surrogate.derivative(0.0) > 0,
                    () -> surrogate + ": derivative(0) must be positive so that gradient flows at the threshold");
        }
    }

    @Test
    public void derivativeIsSymmetricWhenDeclared() {
        Assumptions.assumeTrue(symmetric(), "the surrogates are not declared symmetric");
        for (SurrogateFunction surrogate : surrogates()) {
            for (double u : flatten(samples(DataType.DOUBLE))) {
                assertEquals(surrogate.derivative(u), surrogate.derivative(-u), DOUBLE_TOLERANCE,
                        () -> surrogate + " is declared symmetric but f(" + u + ") != f(" + (-u) + ")");
            }
        }
    }

    @Test
    public void derivativeIntegratesToOne() {
        Optional<String> exemption = unitAreaExemption();
        Assumptions.assumeTrue(exemption.isEmpty(), () -> "exempt from unit area: " + exemption.orElse(""));
        double halfWidth = integrationHalfWidth();
        int intervals = 2_000_000;
        double step = 2 * halfWidth / intervals;
        for (SurrogateFunction surrogate : surrogates()) {
            // Midpoint rule: its error at a jump is at most step * jump height, far below the tolerance.
            double area = 0;
            for (int i = 0; i < intervals; i++) {
                area += surrogate.derivative(-halfWidth + (i + 0.5) * step);
            }
            area *= step;
            double found = area;
            assertEquals(1.0, area, areaTolerance(), () -> surrogate + ": the area under dS/du over ["
                    + (-halfWidth) + ", " + halfWidth + "] must be 1 (it replaces a unit step's derivative), got "
                    + found);
        }
    }

    /** Random points and a dyadic grid over the sample range, as a flat array of the given type. */
    private INDArray samples(DataType type) {
        double halfWidth = sampleHalfWidth();
        double gridStep = Math.scalb(1.0, Math.getExponent(halfWidth) - 6);
        int gridPoints = (int) Math.floor(halfWidth / gridStep);
        double[] values = new double[RANDOM_SAMPLES + 2 * gridPoints + 1];
        Random random = new Random(SEED);
        for (int i = 0; i < RANDOM_SAMPLES; i++) {
            values[i] = (2 * random.nextDouble() - 1) * halfWidth;
        }
        for (int k = -gridPoints; k <= gridPoints; k++) {
            values[RANDOM_SAMPLES + gridPoints + k] = k * gridStep;
        }
        // A multiple of 3 elements, so that arrayFormWorksOnViews can fold it into three columns.
        int usable = values.length - values.length % 3;
        return Nd4j.createFromArray(Arrays.copyOf(values, usable)).castTo(type);
    }

    private static void assertMatchesScalar(SurrogateFunction surrogate, INDArray u, INDArray result, String what) {
        double[] points = flatten(u);
        double[] values = flatten(result);
        boolean isFloat = u.dataType() == DataType.FLOAT;
        for (int i = 0; i < points.length; i++) {
            double point = points[i];
            double expected = surrogate.derivative(point);
            double actual = values[i];
            if (close(expected, actual, isFloat ? FLOAT_TOLERANCE : DOUBLE_TOLERANCE)) {
                continue;
            }
            if (isFloat && jumpsNear(surrogate, point, actual)) {
                continue;
            }
            fail(surrogate + ", " + what + ": at u = " + point + " the array form gives " + actual
                    + " but the scalar form " + expected);
        }
    }

    /** Whether the scalar form takes the value {@code actual} at a float neighbour of {@code point}. */
    private static boolean jumpsNear(SurrogateFunction surrogate, double point, double actual) {
        float f = (float) point;
        return close(surrogate.derivative(Math.nextUp(f)), actual, FLOAT_TOLERANCE)
                || close(surrogate.derivative(Math.nextDown(f)), actual, FLOAT_TOLERANCE);
    }

    private static boolean close(double expected, double actual, double tolerance) {
        return Math.abs(expected - actual) <= tolerance * Math.max(1, Math.abs(expected));
    }

    private static void assertArrayEqualsExactly(INDArray expected, INDArray actual, String message) {
        double[] e = flatten(expected);
        double[] a = flatten(actual);
        assertEquals(e.length, a.length, message);
        for (int i = 0; i < e.length; i++) {
            if (Double.compare(e[i], a[i]) != 0) {
                fail(message + " (element " + i + ": " + e[i] + " vs " + a[i] + ")");
            }
        }
    }

    /** The elements of an array of any shape and layout in C order, as doubles. */
    static double[] flatten(INDArray array) {
        return array.castTo(DataType.DOUBLE).dup('c').reshape(array.length()).toDoubleVector();
    }
}
