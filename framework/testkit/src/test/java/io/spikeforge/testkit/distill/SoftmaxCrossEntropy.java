package io.spikeforge.testkit.distill;

import io.spikeforge.api.distill.DistillationLoss;
import io.spikeforge.api.distill.LossValue;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Plain softmax cross-entropy that ignores the teacher: the smallest correct loss, used to show that
 * the contract accepts a correct implementation and, wrapped in faults, rejects broken ones.
 */
final class SoftmaxCrossEntropy implements DistillationLoss {
    private final boolean subtractRowMaximum;

    /** @param subtractRowMaximum false builds the naive softmax that overflows for large logits */
    SoftmaxCrossEntropy(boolean subtractRowMaximum) {
        this.subtractRowMaximum = subtractRowMaximum;
    }

    @Override
    public LossValue compute(INDArray studentLogits, INDArray teacherLogits, int[] labels) {
        if (!Arrays.equals(studentLogits.shape(), teacherLogits.shape())) {
            throw new IllegalArgumentException("teacherLogits " + Arrays.toString(teacherLogits.shape())
                    + " differ from studentLogits " + Arrays.toString(studentLogits.shape()));
        }
        long batch = studentLogits.size(0);
        long classes = studentLogits.size(1);
        if (labels.length != batch) {
            throw new IllegalArgumentException("expected " + batch + " labels, got " + labels.length);
        }
        INDArray oneHot = Nd4j.zeros(DataType.DOUBLE, batch, classes);
        for (int row = 0; row < batch; row++) {
            if (labels[row] < 0 || labels[row] >= classes) {
                throw new IllegalArgumentException("label " + labels[row] + " outside [0, " + classes + ")");
            }
            oneHot.putScalar(row, labels[row], 1.0);
        }
        INDArray logits = studentLogits.castTo(DataType.DOUBLE);
        INDArray shifted = subtractRowMaximum ? logits.subColumnVector(logits.max(true, 1)) : logits.dup();
        INDArray exp = Transforms.exp(shifted, true);
        INDArray sums = exp.sum(true, 1);
        INDArray logProbs = shifted.subColumnVector(Transforms.log(sums, true));
        double value = -oneHot.mul(logProbs).sumNumber().doubleValue() / batch;
        INDArray gradient = exp.divColumnVector(sums).subi(oneHot).divi(batch).castTo(studentLogits.dataType());
        return new LossValue(value, gradient, Map.of("ce", value));
    }
}
