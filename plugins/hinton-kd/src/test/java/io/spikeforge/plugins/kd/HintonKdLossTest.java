package io.spikeforge.plugins.kd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.distill.LossValue;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class HintonKdLossTest {
    private static final int BATCH = 5;
    private static final int CLASSES = 7;

    private final Random random = new Random(7);
    private final double[][] student = randomLogits(BATCH, CLASSES, 2.0);
    private final double[][] teacher = randomLogits(BATCH, CLASSES, 3.0);
    private final int[] labels = random.ints(BATCH, 0, CLASSES).toArray();

    @Test
    void sumStyleMatchesScalarLoops() {
        for (double temperature : new double[] {1.0, 2.5, 4.0}) {
            double ce = ScalarLoopReference.crossEntropy(student, labels);
            double kd = temperature * temperature * ScalarLoopReference.divergence(student, teacher, temperature);
            LossValue result = HintonKdLoss.sum(temperature, 0.3).compute(matrix(student), matrix(teacher), labels);

            assertEquals(ce, result.terms().get("ce"), 1e-12, "ce term at T=" + temperature);
            assertEquals(0.3 * kd, result.terms().get("kd"), 1e-12, "kd term at T=" + temperature);
            assertEquals(ce + 0.3 * kd, result.value(), 1e-12, "value at T=" + temperature);
            assertMatrixEquals(ScalarLoopReference.gradient(student, teacher, labels, temperature, 1.0, 0.3),
                    result.gradient(), "gradient at T=" + temperature);
        }
    }

    @Test
    void mixStyleMatchesScalarLoops() {
        for (double alpha : new double[] {0.0, 0.25, 0.9, 1.0}) {
            double temperature = 3.0;
            double ce = ScalarLoopReference.crossEntropy(student, labels);
            double kd = temperature * temperature * ScalarLoopReference.divergence(student, teacher, temperature);
            LossValue result = HintonKdLoss.mix(temperature, alpha).compute(matrix(student), matrix(teacher), labels);

            assertEquals((1 - alpha) * ce, result.terms().get("ce"), 1e-12, "ce term at alpha=" + alpha);
            assertEquals(alpha * kd, result.terms().get("kd"), 1e-12, "kd term at alpha=" + alpha);
            assertEquals((1 - alpha) * ce + alpha * kd, result.value(), 1e-12, "value at alpha=" + alpha);
            assertMatrixEquals(ScalarLoopReference.gradient(student, teacher, labels, temperature, 1 - alpha, alpha),
                    result.gradient(), "gradient at alpha=" + alpha);
        }
    }

    @Test
    void distillationTermIsTheDivergenceTimesTheSquaredTemperature() {
        for (double temperature : new double[] {1.0, 2.0, 4.0, 8.0}) {
            double divergence = ScalarLoopReference.divergence(student, teacher, temperature);
            LossValue kdOnly = new HintonKdLoss(temperature, 0.0, 1.0).compute(matrix(student), matrix(teacher), labels);
            assertEquals(temperature * temperature, kdOnly.terms().get("kd") / divergence, 1e-9,
                    "kd / KL at T=" + temperature);
            assertEquals(0.0, kdOnly.terms().get("ce"), 0.0, "a zero CE weight leaves no ce term");
        }
    }

    @Test
    void identicalLogitsGiveNoDistillationLossOrGradient() {
        INDArray same = matrix(student);
        LossValue result = HintonKdLoss.sum(4.0, 0.3).compute(same, same.dup(), labels);
        LossValue crossEntropyOnly = new HintonKdLoss(4.0, 1.0, 0.0).compute(same, same.dup(), labels);

        assertEquals(0.0, result.terms().get("kd"), 1e-12, "KL of a distribution with itself");
        assertEquals(result.terms().get("ce"), result.value(), 1e-12, "value when the KD term vanishes");
        assertTrue(result.gradient().equalsWithEps(crossEntropyOnly.gradient(), 1e-12),
                "with identical logits the gradient must be the cross-entropy gradient alone");
    }

    @Test
    void uniformLogitsGiveLogOfTheClassCount() {
        INDArray zeros = Nd4j.zeros(DataType.DOUBLE, BATCH, CLASSES);
        LossValue result = HintonKdLoss.sum(4.0, 0.3).compute(zeros, zeros.dup(), labels);
        assertEquals(Math.log(CLASSES), result.value(), 1e-12, "CE of a uniform prediction is log K");
    }

    @Test
    void largeLogitsMatchTheStableReference() {
        double[][] large = randomLogits(BATCH, CLASSES, 500.0);
        double[][] largeTeacher = randomLogits(BATCH, CLASSES, 500.0);
        double ce = ScalarLoopReference.crossEntropy(large, labels);
        double kd = 16 * ScalarLoopReference.divergence(large, largeTeacher, 4.0);
        LossValue result = HintonKdLoss.sum(4.0, 0.3).compute(matrix(large), matrix(largeTeacher), labels);
        assertEquals(ce + 0.3 * kd, result.value(), 1e-9 * (ce + 0.3 * kd), "value for logits of magnitude 500");
    }

    @Test
    void gradientFollowsTheStudentLogitsDataType() {
        INDArray singleStudent = matrix(student).castTo(DataType.FLOAT);
        INDArray singleTeacher = matrix(teacher).castTo(DataType.FLOAT);
        LossValue single = HintonKdLoss.sum(4.0, 0.3).compute(singleStudent, singleTeacher, labels);
        LossValue exact = HintonKdLoss.sum(4.0, 0.3).compute(matrix(student), matrix(teacher), labels);

        assertEquals(DataType.FLOAT, single.gradient().dataType(), "gradient type for FLOAT logits");
        assertEquals(DataType.DOUBLE, exact.gradient().dataType(), "gradient type for DOUBLE logits");
        assertEquals(exact.value(), single.value(), 1e-5, "FLOAT and DOUBLE values");
    }

    @Test
    void rejectsMismatchedShapesNamingBothTensors() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> HintonKdLoss.sum(4.0, 0.3).compute(matrix(student), Nd4j.zeros(DataType.DOUBLE, BATCH, CLASSES + 1),
                        labels));
        assertTrue(error.getMessage().contains("teacherLogits") && error.getMessage().contains("[5, 7]")
                && error.getMessage().contains("[5, 8]"), error.getMessage());
    }

    @Test
    void rejectsAnOutOfRangeLabelNamingItsPosition() {
        int[] bad = labels.clone();
        bad[3] = CLASSES;
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> HintonKdLoss.sum(4.0, 0.3).compute(matrix(student), matrix(teacher), bad));
        assertTrue(error.getMessage().contains("labels[3] = 7"), error.getMessage());
    }

    @Test
    void rejectsInvalidSettings() {
        assertThrows(IllegalArgumentException.class, () -> HintonKdLoss.sum(0.0, 0.3), "temperature 0");
        assertThrows(IllegalArgumentException.class, () -> HintonKdLoss.sum(Double.NaN, 0.3), "temperature NaN");
        assertThrows(IllegalArgumentException.class, () -> HintonKdLoss.sum(4.0, -0.1), "negative weight");
        assertThrows(IllegalArgumentException.class, () -> HintonKdLoss.mix(4.0, 1.5), "alpha above 1");
    }

    private double[][] randomLogits(int rows, int columns, double scale) {
        double[][] logits = new double[rows][columns];
        for (double[] row : logits) {
            for (int k = 0; k < columns; k++) {
                row[k] = random.nextGaussian() * scale;
            }
        }
        return logits;
    }

    private static INDArray matrix(double[][] values) {
        return Nd4j.createFromArray(values);
    }

    private static void assertMatrixEquals(double[][] expected, INDArray actual, String message) {
        assertEquals(expected.length, actual.size(0), message + ": rows");
        for (int b = 0; b < expected.length; b++) {
            for (int k = 0; k < expected[b].length; k++) {
                assertEquals(expected[b][k], actual.getDouble(b, k), 1e-12, message + " at [" + b + ", " + k + "]");
            }
        }
    }
}
