package io.spikeforge.plugins.qcfs;

import io.spikeforge.api.activation.AnnActivation;
import io.spikeforge.testkit.activation.AnnActivationContract;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * QCFS passes the activation contract. Its backward pass is the straight-through gradient, so the
 * gradient reference is the forward pass with the floor's offset frozen at the checked point
 * {@code (x0, lambda0)}: {@code F(x, lambda) = lambda * clamp(x / lambda, 0, 1) + lambda * r0}, with
 * {@code r0 = q(x0, lambda0) - clamp(x0 / lambda0, 0, 1)}. F equals the forward pass at the point,
 * and its exact derivatives there are {@code m} and {@code q - m * x / lambda}, the documented gradient.
 * Inputs in [-3, 3] with lambda 2 cover all three regions (below 0, inside, above lambda).
 */
class QcfsContractTest extends AnnActivationContract {
    private static final double LAMBDA = 2.0;
    private static final int LEVELS = 4;

    @Override
    protected AnnActivation createActivation(int channels, DataType dataType) {
        return new QcfsActivation(LEVELS, LAMBDA, dataType);
    }

    @Override
    protected GradientReference gradientReference(AnnActivation activation, INDArray input) {
        double lambda0 = activation.parameters().get(0).value().getDouble(0);
        INDArray clamped0 = clamp(input.div(lambda0));
        INDArray quantized0 = Transforms.floor(clamped0.mul(LEVELS).add(0.5), false).div(LEVELS);
        INDArray frozenOffset = quantized0.sub(clamped0);
        return (x, parameters) -> {
            double lambda = parameters.get(QcfsActivation.THRESHOLD).getDouble(0);
            return clamp(x.div(lambda)).add(frozenOffset).mul(lambda);
        };
    }

    private static INDArray clamp(INDArray values) {
        return Transforms.min(Transforms.max(values, 0.0, true), 1.0, false);
    }
}
