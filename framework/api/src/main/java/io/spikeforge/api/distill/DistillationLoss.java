package io.spikeforge.api.distill;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A student's training loss given its logits, the teacher's logits and the true labels.
 * Implementations are immutable; a call does not modify its arguments.
 */
public interface DistillationLoss {
    /**
     * @param studentLogits shape {@code [B, K]}
     * @param teacherLogits shape {@code [B, K]}, computed with the teacher in evaluation mode
     * @param labels class indices in {@code [0, K)}, length B
     * @return the batch-mean loss and its gradient with respect to {@code studentLogits}; the gradient
     *     has the data type of {@code studentLogits}, and the terms add up to the value
     */
    LossValue compute(INDArray studentLogits, INDArray teacherLogits, int[] labels);
}
