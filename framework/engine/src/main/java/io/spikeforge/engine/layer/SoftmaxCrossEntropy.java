package io.spikeforge.engine.layer;

import io.spikeforge.engine.tensor.BufferCache;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.api.ops.impl.reduce.same.Max;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Log;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Softmax cross-entropy with integer class labels, averaged over the batch, like PyTorch's
 * {@code F.cross_entropy(logits, labels)}: {@code L = mean_i(logsumexp(z_i) - z_i[y_i])}.
 *
 * <p>Numerically stable: the value comes from a log-softmax computed with the row maximum
 * subtracted, never from the logarithm of a softmax, and the gradient
 * {@code (softmax(z) - onehot(y)) / B} from the same log-probabilities.
 * Keeps the log-probabilities and the labels for {@link #backward}.
 */
public final class SoftmaxCrossEntropy {
    private static final String NAME = "SoftmaxCrossEntropy";
    private static final int BATCH_AXIS = 0;
    private static final int CLASS_AXIS = 1;

    private final DataType dataType;
    private final BufferCache buffers = new BufferCache();
    private INDArray logProbabilities;
    private int[] savedLabels;

    /** @param dataType float for training, double for gradient checks */
    public SoftmaxCrossEntropy(DataType dataType) {
        this.dataType = dataType;
    }

    /**
     * The batch-mean loss.
     *
     * @param logits {@code [B, K]} unnormalized scores
     * @param labels B class indices in {@code [0, K)}
     * @return the loss
     */
    public double forward(INDArray logits, int[] labels) {
        Checks.requireInput(NAME, logits, dataType, 2);
        long batch = logits.size(0);
        long classes = logits.size(1);
        if (labels.length != batch) {
            throw new IllegalArgumentException(NAME + ": " + labels.length + " labels for a batch of " + batch);
        }
        for (int label : labels) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException(NAME + ": label " + label + " outside [0, " + classes + ")");
            }
        }
        logProbabilities = logSoftmax(logits);
        double sum = 0;
        for (int i = 0; i < batch; i++) {
            sum -= logProbabilities.getDouble(i, labels[i]);
        }
        savedLabels = Arrays.copyOf(labels, labels.length);
        return sum / batch;
    }

    /**
     * Log-softmax over the classes as {@code (z - max) - log(sum(exp(z - max)))}, which never takes
     * the logarithm of an underflowed probability. libnd4j's {@code log_softmax} does not do this:
     * it returns -infinity (float and double) for a logit 1000 below the row's maximum.
     */
    private INDArray logSoftmax(INDArray logits) {
        long batch = logits.size(0);
        INDArray shifted = buffers.get("logProbabilities", dataType, logits.shape());
        INDArray exponentials = buffers.get("exponentials", dataType, logits.shape());
        INDArray rowMax = buffers.get("rowMax", dataType, batch);
        INDArray logSumExp = buffers.get("logSumExp", dataType, batch);
        Nd4j.exec(new Max(logits, rowMax, CLASS_AXIS));
        Nd4j.exec(new BroadcastSubOp(logits, rowMax, shifted, BATCH_AXIS));
        Nd4j.exec(new Exp(shifted, exponentials));
        exponentials.sum(logSumExp, CLASS_AXIS);
        Nd4j.exec(new Log(logSumExp, logSumExp));
        Nd4j.exec(new BroadcastSubOp(shifted, logSumExp, shifted, BATCH_AXIS));
        return shifted;
    }

    /**
     * dL/dlogits of the last {@link #forward}.
     *
     * @return {@code [B, K]}, a buffer reused by the next call
     * @throws IllegalStateException when no forward precedes it
     */
    public INDArray backward() {
        Checks.requireForwardState(NAME, savedLabels != null);
        INDArray gradLogits = buffers.get("gradLogits", dataType, logProbabilities.shape());
        Nd4j.exec(new Exp(logProbabilities, gradLogits));
        for (int i = 0; i < savedLabels.length; i++) {
            gradLogits.putScalar(i, savedLabels[i], gradLogits.getDouble(i, savedLabels[i]) - 1);
        }
        return gradLogits.muli(1.0 / savedLabels.length);
    }
}
