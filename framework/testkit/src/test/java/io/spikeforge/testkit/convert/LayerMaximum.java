package io.spikeforge.testkit.convert;

import io.spikeforge.api.convert.LayerCalibration;
import io.spikeforge.api.convert.ThresholdGranularity;
import io.spikeforge.api.convert.ThresholdStrategy;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A plain maximum strategy written with ND4J reductions, to show that a correct strategy passes the
 * contract: dead channels (and layers) get a tenth of the layer's maximum, or 1.
 */
final class LayerMaximum implements ThresholdStrategy {
    @Override
    public INDArray thresholds(LayerCalibration layer) {
        INDArray activations = layer.annActivations().castTo(DataType.DOUBLE);
        double layerMax = Math.max(0, activations.maxNumber().doubleValue());
        double[] maxima;
        if (layer.granularity() == ThresholdGranularity.LAYER) {
            maxima = new double[] {layerMax};
        } else {
            int[] others = IntStream.range(0, activations.rank()).filter(d -> d != 1).toArray();
            maxima = activations.max(others).toDoubleVector();
        }
        for (int i = 0; i < maxima.length; i++) {
            if (!(maxima[i] > 0)) {
                maxima[i] = layerMax > 0 ? layerMax / 10 : 1;
            }
        }
        return Nd4j.createFromArray(maxima);
    }
}
