package io.spikeforge.engine.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Top-1 predictions of a batch of logits. */
public final class Predictions {
    private Predictions() {
    }

    /** How many rows of {@code logits [B, K]} have their largest value at the row's label. */
    public static int correct(INDArray logits, int[] labels) {
        long[] predicted = classes(logits);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
        }
        return correct;
    }

    /** The predicted class of each row of {@code logits [B, K]}: the index of its largest value. */
    public static long[] classes(INDArray logits) {
        return Nd4j.argMax(logits, 1).toLongVector();
    }
}
