package io.spikeforge.engine.layer;

import static io.spikeforge.engine.layer.TestTensors.assertPassed;
import static io.spikeforge.engine.layer.TestTensors.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spikeforge.engine.gradcheck.DifferentiableFunction;
import io.spikeforge.engine.gradcheck.GradientCheck;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SoftmaxCrossEntropyTest {
    private static double crossEntropyByHand(INDArray logits, int[] labels) {
        double total = 0;
        for (int i = 0; i < labels.length; i++) {
            double max = logits.getRow(i).maxNumber().doubleValue();
            double sumExp = 0;
            for (int k = 0; k < logits.size(1); k++) {
                sumExp += Math.exp(logits.getDouble(i, k) - max);
            }
            total += max + Math.log(sumExp) - logits.getDouble(i, labels[i]);
        }
        return total / labels.length;
    }

    @Test
    void valueIsTheBatchMeanOfTheNegativeLogLikelihood() {
        INDArray logits = normal(1, 4, 5).muli(3);
        int[] labels = {0, 4, 2, 2};
        assertEquals(crossEntropyByHand(logits, labels), new SoftmaxCrossEntropy(DataType.DOUBLE).forward(logits, labels),
                1e-12);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(DataType.DOUBLE);
        int[] labels = {1, 0, 3};
        DifferentiableFunction function = new DifferentiableFunction() {
            @Override
            public INDArray forward(List<INDArray> inputs) {
                return Nd4j.scalar(loss.forward(inputs.get(0), labels));
            }

            @Override
            public List<INDArray> backward(INDArray gradOutput) {
                return List.of(loss.backward().mul(gradOutput.getDouble(0)));
            }
        };
        assertPassed(GradientCheck.withDefaults().check(function, List.of(normal(2, 3, 4).muli(2))));
    }

    @Test
    void hugeLogitsStayFinite() {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(DataType.FLOAT);
        INDArray logits = Nd4j.create(new float[] {1000, 0, -1000, 0, 1000, 990}, new long[] {2, 3});
        double value = loss.forward(logits, new int[] {1, 2});
        assertEquals((1000 + 10 + Math.log1p(Math.exp(-10))) / 2, value, 1e-3);
        INDArray gradient = loss.backward();
        assertEquals(-0.5, gradient.getDouble(0, 1), 1e-6);
        assertEquals(0.5, gradient.getDouble(0, 0), 1e-6);
        assertEquals(0.0, gradient.sumNumber().doubleValue(), 1e-6);
    }

    @Test
    void labelsMustFitTheBatchAndTheClasses() {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(DataType.DOUBLE);
        INDArray logits = normal(3, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> loss.forward(logits, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> loss.forward(logits, new int[] {0, 3}));
        assertThrows(IllegalStateException.class, loss::backward);
    }
}
