package io.spikeforge.engine.convert;

import io.spikeforge.api.convert.ThresholdGranularity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The T-step quantization of IF neurons and the sums the conversion errors are means of.
 *
 * <p>{@code q_T(a) = theta/T * clip(floor(a*T/theta + f), 0, T)}: the output of IF neurons with
 * threshold theta and v(0) = f*theta driven by the constant current a for T steps. For signed
 * neurons {@code sign(a) * q_T(|a|)}, which is what they output for a constant current except where
 * {@code |a|*T/theta + f} is an integer.
 */
final class Quantization {
    private Quantization() {
    }

    /**
     * @param values {@code [N, C, ...]}
     * @param thresholdMap the thresholds spread over the shape of {@code values}
     * @return a new array shaped like {@code values}
     */
    static INDArray quantize(INDArray values, INDArray thresholdMap, int timeSteps, double initialMembrane,
                             boolean signed) {
        INDArray magnitude = signed ? Transforms.abs(values, true) : values;
        INDArray levels = magnitude.mul(timeSteps).divi(thresholdMap).addi(initialMembrane);
        Transforms.floor(levels, false);
        Transforms.max(levels, 0.0, false);
        Transforms.min(levels, timeSteps, false);
        levels.muli(thresholdMap).divi(timeSteps);
        if (signed) {
            levels.muli(Transforms.sign(values, true));
        }
        return levels;
    }

    /** The sum of {@code (a - b)^2}: over everything for one threshold, or per channel (dimension 1). */
    static double[] squaredErrorSums(INDArray a, INDArray b, ThresholdGranularity granularity) {
        INDArray difference = a.sub(b);
        difference.muli(difference);
        return sums(difference, granularity);
    }

    /** Sums over everything, or per channel. */
    static double[] sums(INDArray values, ThresholdGranularity granularity) {
        if (granularity == ThresholdGranularity.LAYER) {
            return new double[] {values.sumNumber().doubleValue()};
        }
        int[] others = new int[values.rank() - 1];
        others[0] = 0;
        for (int d = 2; d < values.rank(); d++) {
            others[d - 1] = d;
        }
        return values.sum(others).castTo(DataType.DOUBLE).toDoubleVector();
    }

    /** The elements of one channel (all of them for one threshold). */
    static long elementsPerThreshold(INDArray values, ThresholdGranularity granularity) {
        return granularity == ThresholdGranularity.LAYER ? values.length() : values.length() / values.size(1);
    }
}
