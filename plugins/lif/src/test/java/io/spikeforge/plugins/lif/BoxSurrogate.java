package io.spikeforge.plugins.lif;

import io.spikeforge.api.neuron.SurrogateFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * IDSNN's surrogate written for these tests, element by element: 1 where {@code |u| < 1/2}, else 0
 * (the surrogates plugin is another module, which this plugin does not depend on).
 */
final class BoxSurrogate implements SurrogateFunction {
    @Override
    public double derivative(double u) {
        return Math.abs(u) < 0.5 ? 1 : 0;
    }

    @Override
    public INDArray derivative(INDArray u, INDArray out) {
        double[] values = u.castTo(DataType.DOUBLE).dup('c').reshape(u.length()).toDoubleVector();
        for (int i = 0; i < values.length; i++) {
            values[i] = derivative(values[i]);
        }
        return out.assign(Nd4j.createFromArray(values).reshape('c', u.shape()).castTo(out.dataType()));
    }

    @Override
    public String toString() {
        return "box";
    }
}
