package io.spikeforge.plugins.kd;

import io.spikeforge.api.distill.DistillationLoss;
import io.spikeforge.api.distill.LossValue;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code ceWeight * CE + kdWeight * KD}, where CE is the batch-mean softmax cross-entropy of the
 * student's logits against the labels and KD is Hinton's distillation term
 * {@code T^2 * KL(softmax(teacher / T) || softmax(student / T))} with batch-mean reduction (PyTorch's
 * {@code KLDivLoss(reduction='batchmean')} applied to {@code log_softmax(student / T)} and
 * {@code softmax(teacher / T)}, times {@code T^2}).
 *
 * <p>The gradient with respect to the student's logits is analytic:
 * {@code ceWeight * (softmax(s) - onehot) / B + kdWeight * T * (softmax(s / T) - softmax(t / T)) / B}.
 * Softmaxes subtract each row's maximum and log-softmaxes use log-sum-exp, so large logits neither
 * overflow nor produce NaN.
 *
 * <p>Inputs of any floating-point type are accepted. The arithmetic runs in double precision; the
 * gradient is returned in the student logits' data type. {@link LossValue#terms()} holds {@code ce}
 * and {@code kd}, each multiplied by its weight, and the value is their sum.
 */
public final class HintonKdLoss implements DistillationLoss {
    private final double temperature;
    private final double ceWeight;
    private final double kdWeight;

    /**
     * @param temperature the softening temperature T, {@code > 0}
     * @param ceWeight the cross-entropy term's weight, {@code >= 0}
     * @param kdWeight the distillation term's weight, {@code >= 0}
     */
    public HintonKdLoss(double temperature, double ceWeight, double kdWeight) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number > 0, got " + temperature);
        }
        requireWeight("ceWeight", ceWeight);
        requireWeight("kdWeight", kdWeight);
        this.temperature = temperature;
        this.ceWeight = ceWeight;
        this.kdWeight = kdWeight;
    }

    /** The IDSNN reference combination {@code CE + weight * KD}. */
    public static HintonKdLoss sum(double temperature, double weight) {
        return new HintonKdLoss(temperature, 1.0, weight);
    }

    /** Hinton's original combination {@code (1 - alpha) * CE + alpha * KD}, alpha in [0, 1]. */
    public static HintonKdLoss mix(double temperature, double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        return new HintonKdLoss(temperature, 1.0 - alpha, alpha);
    }

    private static void requireWeight(String name, double weight) {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + weight);
        }
    }

    public double temperature() {
        return temperature;
    }

    public double ceWeight() {
        return ceWeight;
    }

    public double kdWeight() {
        return kdWeight;
    }

    @Override
    public LossValue compute(INDArray studentLogits, INDArray teacherLogits, int[] labels) {
        checkArguments(studentLogits, teacherLogits, labels);
        long batch = studentLogits.size(0);
        // castTo returns the argument itself for DOUBLE input: only out-of-place ops may touch these two.
        INDArray student = studentLogits.castTo(DataType.DOUBLE);
        INDArray teacher = teacherLogits.castTo(DataType.DOUBLE);
        INDArray oneHot = oneHot(labels, student.size(1));

        INDArray studentLogProbs = logSoftmax(student);
        double crossEntropy = -oneHot.mul(studentLogProbs).sumNumber().doubleValue() / batch;

        INDArray softStudentLogProbs = logSoftmax(student.div(temperature));
        INDArray softTeacherLogProbs = logSoftmax(teacher.div(temperature));
        INDArray softTeacherProbs = Transforms.exp(softTeacherLogProbs, true);
        double divergence = softTeacherProbs.mul(softTeacherLogProbs.sub(softStudentLogProbs)).sumNumber().doubleValue()
                / batch;
        double distillation = temperature * temperature * divergence;

        INDArray ceGradient = Transforms.exp(studentLogProbs, true).subi(oneHot).muli(ceWeight / batch);
        INDArray kdGradient = Transforms.exp(softStudentLogProbs, true).subi(softTeacherProbs)
                .muli(kdWeight * temperature / batch);
        INDArray gradient = ceGradient.addi(kdGradient).castTo(studentLogits.dataType());

        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put("ce", ceWeight * crossEntropy);
        terms.put("kd", kdWeight * distillation);
        return new LossValue(ceWeight * crossEntropy + kdWeight * distillation, gradient, terms);
    }

    /** Row-wise log-softmax by log-sum-exp after subtracting the row maximum. */
    private static INDArray logSoftmax(INDArray logits) {
        INDArray shifted = logits.subColumnVector(logits.max(true, 1));
        INDArray logSumExp = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        return shifted.subiColumnVector(logSumExp);
    }

    private static INDArray oneHot(int[] labels, long classes) {
        INDArray oneHot = Nd4j.zeros(DataType.DOUBLE, labels.length, classes);
        for (int row = 0; row < labels.length; row++) {
            oneHot.putScalar(row, labels[row], 1.0);
        }
        return oneHot;
    }

    private static void checkArguments(INDArray student, INDArray teacher, int[] labels) {
        if (student == null || teacher == null || labels == null) {
            throw new IllegalArgumentException("studentLogits, teacherLogits and labels must not be null");
        }
        if (student.rank() != 2) {
            throw new IllegalArgumentException("studentLogits must have shape [B, K], got " + Arrays.toString(student.shape()));
        }
        if (!Arrays.equals(student.shape(), teacher.shape())) {
            throw new IllegalArgumentException("teacherLogits must have the shape of studentLogits "
                    + Arrays.toString(student.shape()) + ", got " + Arrays.toString(teacher.shape()));
        }
        if (!student.dataType().isFPType() || !teacher.dataType().isFPType()) {
            throw new IllegalArgumentException("logits must be floating point, got studentLogits " + student.dataType()
                    + " and teacherLogits " + teacher.dataType());
        }
        long batch = student.size(0);
        long classes = student.size(1);
        if (batch == 0 || classes == 0) {
            throw new IllegalArgumentException("logits must have at least one row and one class, got shape "
                    + Arrays.toString(student.shape()));
        }
        if (labels.length != batch) {
            throw new IllegalArgumentException("labels must have one entry per row of the logits (" + batch + "), got "
                    + labels.length);
        }
        for (int row = 0; row < labels.length; row++) {
            if (labels[row] < 0 || labels[row] >= classes) {
                throw new IllegalArgumentException("labels[" + row + "] = " + labels[row] + " is not a class index in [0, "
                        + classes + ")");
            }
        }
    }

    @Override
    public String toString() {
        return "HintonKdLoss[temperature=" + temperature + ", ceWeight=" + ceWeight + ", kdWeight=" + kdWeight + "]";
    }
}
