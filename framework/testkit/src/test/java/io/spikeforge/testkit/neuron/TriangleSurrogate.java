package io.spikeforge.testkit.neuron;

import io.spikeforge.api.neuron.SurrogateFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseSubtraction;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** A correct surrogate written for these tests: the triangle {@code max(0, 1 - |u|)}, of unit area. */
final class TriangleSurrogate implements SurrogateFunction {
    @Override
    public double derivative(double u) {
        return Math.max(0, 1 - Math.abs(u));
    }

    @Override
    public INDArray derivative(INDArray u, INDArray out) {
        Nd4j.getExecutioner().exec(new Abs(u, out));
        Nd4j.getExecutioner().exec(new ScalarReverseSubtraction(out, null, out, 1.0));
        Transforms.relu(out, false);
        return out;
    }

    @Override
    public String toString() {
        return "triangle";
    }
}
