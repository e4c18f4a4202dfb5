package io.spikeforge.testkit.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.spikeforge.api.distill.DistillationLoss;
import io.spikeforge.api.distill.LossValue;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The checks every {@link DistillationLoss} must pass. Extend it in a test class, implement
 * {@link #createLoss()}, and override the sampling hooks if the defaults do not suit the loss.
 *
 * <p>Checks: the gradient has the logits' shape and the value is finite (also for very large
 * logits); the gradient equals central finite differences of the value in double precision; the
 * named terms add up to the value; the inputs are not modified; repeated calls agree exactly;
 * adding a per-row constant to both the student's and the teacher's logits changes neither value
 * nor gradient (true of every loss built on softmaxes; see {@link #isShiftInvariant()}); single
 * precision logits give the double precision result within float accuracy; mismatched shapes and
 * bad labels throw {@link IllegalArgumentException}.
 */
public abstract class DistillationLossContract {
    private static final double FINITE_DIFFERENCE_STEP = 1e-5;

    /** The loss under test. Called once or more per check; each call may return a new instance. */
    protected abstract DistillationLoss createLoss();

    /** The {@code {B, K}} pairs (batch size, number of classes) each check samples. */
    protected List<int[]> batchAndClassCounts() {
        return List.of(new int[] {1, 2}, new int[] {3, 5}, new int[] {8, 10});
    }

    /** Standard deviation of the random logits. */
    protected double logitScale() {
        return 3.0;
    }

    /**
     * Whether adding the same constant to a row of the student's logits and to that row of the
     * teacher's logits must leave value and gradient unchanged. True for any loss that sees the
     * logits only through softmaxes or their differences; override to return false otherwise.
     */
    protected boolean isShiftInvariant() {
        return true;
    }

    /**
     * Largest allowed difference between the analytic gradient and central finite differences,
     * relative to {@code max(1, |value|)} of the compared entries.
     */
    protected double finiteDifferenceTolerance() {
        return 1e-6;
    }

    /** Seed of the random logits and labels. */
    protected long seed() {
        return 20230417L;
    }

    @Test
    public void gradientHasTheLogitsShapeAndTheValueIsFinite() {
        DistillationLoss loss = createLoss();
        for (int[] size : batchAndClassCounts()) {
            Sample sample = sample(size, DataType.DOUBLE, logitScale());
            LossValue result = compute(loss, sample);
            assertTrue(Double.isFinite(result.value()), () -> "loss value is " + result.value() + " for " + sample);
            assertArrayEquals(sample.student.shape(), result.gradient().shape(),
                    () -> "gradient shape " + Arrays.toString(result.gradient().shape()) + " differs from the student logits' "
                            + Arrays.toString(sample.student.shape()));
            assertAllFinite(result.gradient(), "gradient for " + sample);
        }
    }

    @Test
    public void staysFiniteForLargeLogits() {
        DistillationLoss loss = createLoss();
        for (int[] size : batchAndClassCounts()) {
            Sample sample = sample(size, DataType.DOUBLE, 1000.0);
            LossValue result = compute(loss, sample);
            assertTrue(Double.isFinite(result.value()),
                    () -> "loss value is " + result.value() + " for logits of magnitude about 1000; subtract the row maximum"
                            + " before exponentiating");
            assertAllFinite(result.gradient(), "gradient for logits of magnitude about 1000");
        }
    }

    @Test
    public void gradientMatchesCentralFiniteDifferences() {
        DistillationLoss loss = createLoss();
        for (int[] size : batchAndClassCounts()) {
            Sample sample = sample(size, DataType.DOUBLE, logitScale());
            INDArray analytic = compute(loss, sample).gradient().castTo(DataType.DOUBLE);
            for (int row = 0; row < size[0]; row++) {
                for (int cls = 0; cls < size[1]; cls++) {
                    double numeric = centralDifference(loss, sample, row, cls);
                    double expected = analytic.getDouble(row, cls);
                    double scale = Math.max(1.0, Math.max(Math.abs(numeric), Math.abs(expected)));
                    if (Math.abs(numeric - expected) > finiteDifferenceTolerance() * scale) {
                        fail("dL/dstudentLogits[" + row + ", " + cls + "] is " + expected + " but central finite differences give "
                                + numeric + " (B=" + size[0] + ", K=" + size[1] + ")");
                    }
                }
            }
        }
    }

    @Test
    public void termsAddUpToTheValue() {
        DistillationLoss loss = createLoss();
        for (int[] size : batchAndClassCounts()) {
            LossValue result = compute(loss, sample(size, DataType.DOUBLE, logitScale()));
            if (result.terms().isEmpty()) {
                continue;
            }
            double sum = result.terms().values().stream().mapToDouble(Double::doubleValue).sum();
            assertEquals(result.value(), sum, 1e-12 * Math.max(1.0, Math.abs(result.value())),
                    () -> "terms " + result.terms() + " do not add up to the value " + result.value());
        }
    }

    @Test
    public void doesNotModifyItsInputs() {
        DistillationLoss loss = createLoss();
        for (int[] size : batchAndClassCounts()) {
            for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
                Sample sample = sample(size, type, logitScale());
                double[] student = values(sample.student);
                double[] teacher = values(sample.teacher);
                int[] labels = sample.labels.clone();
                compute(loss, sample);
                assertArrayEquals(student, values(sample.student), "the loss modified studentLogits (" + type + ")");
                assertArrayEquals(teacher, values(sample.teacher), "the loss modified teacherLogits (" + type + ")");
                assertArrayEquals(labels, sample.labels, "the loss modified labels");
            }
        }
    }

    @Test
    public void isDeterministic() {
        for (int[] size : batchAndClassCounts()) {
            Sample sample = sample(size, DataType.DOUBLE, logitScale());
            DistillationLoss loss = createLoss();
            LossValue first = compute(loss, sample);
            LossValue again = compute(loss, sample);
            LossValue fresh = compute(createLoss(), sample);
            for (LossValue other : List.of(again, fresh)) {
                assertEquals(first.value(), other.value(), 0.0, "two computations on the same inputs gave different values");
                assertArrayEquals(values(first.gradient()), values(other.gradient()),
                        "two computations on the same inputs gave different gradients");
                assertEquals(first.terms(), other.terms(), "two computations on the same inputs gave different terms");
            }
        }
    }

    @Test
    public void addingARowConstantToBothLogitsChangesNothing() {
        Assumptions.assumeTrue(isShiftInvariant(), "the loss declares that it is not shift invariant");
        DistillationLoss loss = createLoss();
        Random random = new Random(seed() ^ 0x5eed);
        for (int[] size : batchAndClassCounts()) {
            Sample sample = sample(size, DataType.DOUBLE, logitScale());
            INDArray shifts = Nd4j.create(randomValues(random, size[0], 50.0), new long[] {size[0], 1}, DataType.DOUBLE);
            Sample shifted = new Sample(sample.student.addColumnVector(shifts), sample.teacher.addColumnVector(shifts),
                    sample.labels);
            LossValue original = compute(loss, sample);
            LossValue moved = compute(loss, shifted);
            assertEquals(original.value(), moved.value(), 1e-9 * Math.max(1.0, Math.abs(original.value())),
                    "adding a per-row constant to both logits changed the value");
            assertClose(original.gradient(), moved.gradient(), 1e-9, 0.0,
                    "adding a per-row constant to both logits changed the gradient");
        }
    }

    @Test
    public void acceptsSinglePrecisionLogits() {
        DistillationLoss loss = createLoss();
        for (int[] size : batchAndClassCounts()) {
            Sample exact = sample(size, DataType.DOUBLE, logitScale());
            Sample single = new Sample(exact.student.castTo(DataType.FLOAT), exact.teacher.castTo(DataType.FLOAT),
                    exact.labels);
            LossValue reference = compute(loss, exact);
            LossValue result = compute(loss, single);
            assertArrayEquals(single.student.shape(), result.gradient().shape(), "gradient shape for FLOAT logits");
            assertEquals(reference.value(), result.value(), 1e-4 * Math.max(1.0, Math.abs(reference.value())),
                    "FLOAT logits give a value far from the DOUBLE result");
            assertClose(reference.gradient(), result.gradient(), 1e-5, 1e-3,
                    "FLOAT logits give a gradient far from the DOUBLE result");
        }
    }

    @Test
    public void rejectsTeacherLogitsOfAnotherShape() {
        DistillationLoss loss = createLoss();
        Sample sample = sample(new int[] {4, 6}, DataType.DOUBLE, logitScale());
        Sample moreClasses = sample(new int[] {4, 7}, DataType.DOUBLE, logitScale());
        Sample moreRows = sample(new int[] {5, 6}, DataType.DOUBLE, logitScale());
        assertThrows(IllegalArgumentException.class,
                () -> loss.compute(sample.student, moreClasses.teacher, sample.labels),
                "student [4, 6] with teacher [4, 7] must throw IllegalArgumentException");
        assertThrows(IllegalArgumentException.class,
                () -> loss.compute(sample.student, moreRows.teacher, sample.labels),
                "student [4, 6] with teacher [5, 6] must throw IllegalArgumentException");
    }

    @Test
    public void rejectsLabelsOfTheWrongLength() {
        DistillationLoss loss = createLoss();
        Sample sample = sample(new int[] {4, 6}, DataType.DOUBLE, logitScale());
        assertThrows(IllegalArgumentException.class,
                () -> loss.compute(sample.student, sample.teacher, Arrays.copyOf(sample.labels, 3)),
                "3 labels for 4 rows must throw IllegalArgumentException");
        assertThrows(IllegalArgumentException.class,
                () -> loss.compute(sample.student, sample.teacher, Arrays.copyOf(sample.labels, 5)),
                "5 labels for 4 rows must throw IllegalArgumentException");
    }

    @Test
    public void rejectsLabelsOutsideTheClassRange() {
        DistillationLoss loss = createLoss();
        Sample sample = sample(new int[] {4, 6}, DataType.DOUBLE, logitScale());
        for (int bad : new int[] {-1, 6, 100}) {
            int[] labels = sample.labels.clone();
            labels[2] = bad;
            assertThrows(IllegalArgumentException.class, () -> loss.compute(sample.student, sample.teacher, labels),
                    "label " + bad + " with 6 classes must throw IllegalArgumentException");
        }
    }

    private static LossValue compute(DistillationLoss loss, Sample sample) {
        LossValue result = loss.compute(sample.student, sample.teacher, sample.labels);
        assertNotNull(result, "compute returned null");
        assertNotNull(result.gradient(), "compute returned no gradient");
        return result;
    }

    private double centralDifference(DistillationLoss loss, Sample sample, int row, int cls) {
        INDArray plus = sample.student.dup();
        plus.putScalar(row, cls, plus.getDouble(row, cls) + FINITE_DIFFERENCE_STEP);
        INDArray minus = sample.student.dup();
        minus.putScalar(row, cls, minus.getDouble(row, cls) - FINITE_DIFFERENCE_STEP);
        double up = loss.compute(plus, sample.teacher, sample.labels).value();
        double down = loss.compute(minus, sample.teacher, sample.labels).value();
        return (up - down) / (2 * FINITE_DIFFERENCE_STEP);
    }

    private Sample sample(int[] size, DataType type, double scale) {
        int batch = size[0];
        int classes = size[1];
        Random random = new Random(seed() * 31 + batch * 1009L + classes);
        INDArray student = Nd4j.create(randomValues(random, batch * classes, scale), new long[] {batch, classes},
                DataType.DOUBLE).castTo(type);
        INDArray teacher = Nd4j.create(randomValues(random, batch * classes, scale), new long[] {batch, classes},
                DataType.DOUBLE).castTo(type);
        int[] labels = random.ints(batch, 0, classes).toArray();
        return new Sample(student, teacher, labels);
    }

    private static double[] randomValues(Random random, int count, double scale) {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = random.nextGaussian() * scale;
        }
        return values;
    }

    private static double[] values(INDArray array) {
        return array.castTo(DataType.DOUBLE).dup('c').reshape(array.length()).toDoubleVector();
    }

    private static void assertAllFinite(INDArray array, String what) {
        double[] values = values(array);
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                fail(what + " has the non-finite entry " + values[i] + " at flat index " + i);
            }
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, double absolute, double relative, String message) {
        assertArrayEquals(expected.shape(), actual.shape(), message + ": shapes differ");
        double[] e = values(expected);
        double[] a = values(actual);
        for (int i = 0; i < e.length; i++) {
            if (Math.abs(e[i] - a[i]) > absolute + relative * Math.abs(e[i])) {
                fail(message + ": entry " + i + " (row-major) is " + a[i] + ", expected " + e[i]);
            }
        }
    }

    private record Sample(INDArray student, INDArray teacher, int[] labels) {
        @Override
        public String toString() {
            return "logits of shape " + Arrays.toString(student.shape());
        }
    }
}
