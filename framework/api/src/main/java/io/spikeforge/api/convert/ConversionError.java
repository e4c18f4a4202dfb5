package io.spikeforge.api.convert;

/**
 * The conversion error of one spiking layer for given thresholds, per threshold (one entry for
 * {@link ThresholdGranularity#LAYER}, one per channel for {@link ThresholdGranularity#CHANNEL}), as
 * mean squared errors per element over the calibration data; docs/conversion.md defines them.
 *
 * @param quantization what the layer gets wrong with a constant input current: the ANN activation
 *     against its T-step clipped and quantized version
 * @param deviation the additional error because the layer's real input current varies over time:
 *     its spike output over T steps on its actual input against the output a constant current of
 *     the same mean would give
 */
public record ConversionError(double[] quantization, double[] deviation) {
    public ConversionError {
        if (quantization.length != deviation.length) {
            throw new IllegalArgumentException("quantization has " + quantization.length + " entries but deviation "
                    + deviation.length);
        }
        quantization = quantization.clone();
        deviation = deviation.clone();
    }

    /** Quantization plus deviation error, per threshold. */
    public double[] total() {
        double[] total = new double[quantization.length];
        for (int i = 0; i < total.length; i++) {
            total[i] = quantization[i] + deviation[i];
        }
        return total;
    }

    @Override
    public double[] quantization() {
        return quantization.clone();
    }

    @Override
    public double[] deviation() {
        return deviation.clone();
    }
}
