package io.spikeforge.engine.convert;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Checks of threshold arrays handed in by strategies, callers and files. */
final class Thresholds {
    private Thresholds() {
    }

    /**
     * @return the values as doubles
     * @throws IllegalArgumentException naming the site for another count, or a value that is not
     *     positive and finite
     */
    static double[] check(INDArray thresholds, int count, String site) {
        if (thresholds == null) {
            throw new IllegalArgumentException(site + ": no thresholds (null)");
        }
        if (thresholds.length() != count || thresholds.rank() > 1 && thresholds.length() != thresholds.size(0)) {
            throw new IllegalArgumentException(site + ": expected " + count + " threshold" + (count == 1 ? "" : "s")
                    + " as [" + count + "], got " + Arrays.toString(thresholds.shape()));
        }
        double[] values = thresholds.castTo(DataType.DOUBLE).reshape(count).toDoubleVector();
        for (int k = 0; k < count; k++) {
            if (!(values[k] > 0) || Double.isInfinite(values[k])) {
                throw new IllegalArgumentException(site + ": threshold " + (count == 1 ? "" : k + " ")
                        + "must be positive and finite, got " + values[k]);
            }
        }
        return values;
    }

    /** The values as the data type stores them, so that reported thresholds are the ones the neurons use. */
    static double[] rounded(double[] values, DataType dataType) {
        return Nd4j.createFromArray(values).castTo(dataType).castTo(DataType.DOUBLE)
                .toDoubleVector();
    }
}
