package io.spikeforge.engine.train;

import io.spikeforge.api.model.Parameter;
import io.spikeforge.engine.tensor.OutsideWorkspaces;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Stochastic gradient descent with momentum as PyTorch's {@code torch.optim.SGD} defines it
 * (dampening 0), with an optional Nesterov update and L2 weight decay applied to every parameter:
 * <pre>
 *   g = grad + weightDecay * p
 *   buf = g                      on a parameter's first step
 *   buf = momentum * buf + g     afterwards
 *   d = nesterov ? g + momentum * buf : buf
 *   p = p - lr * d
 * </pre>
 * The momentum buffers are the optimizer's state; {@link #momentumBuffers()} exposes them for
 * checkpoints. Updates are in place and allocate nothing after a parameter's first step.
 */
public final class Sgd {
    private final double momentum;
    private final double weightDecay;
    private final boolean nesterov;
    private final Map<Parameter, INDArray> buffers = new IdentityHashMap<>();
    private final Map<Parameter, FlatViews> flat = new IdentityHashMap<>();

    /**
     * @param momentum in [0, 1)
     * @param weightDecay L2 coefficient, >= 0
     * @param nesterov Nesterov momentum; needs momentum > 0
     */
    public Sgd(double momentum, double weightDecay, boolean nesterov) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be a finite number >= 0, got " + weightDecay);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
        }
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    /** Applies one update with learning rate {@code lr} to every parameter from its accumulated gradient. */
    public void step(List<Parameter> parameters, double lr) {
        for (Parameter parameter : parameters) {
            update(parameter, lr);
        }
    }

    // In place with BLAS axpy and no scratch arrays: weight decay is folded into the scaling of p,
    // which is algebraically the update above.
    private void update(Parameter parameter, double lr) {
        // BLAS level 1 works on vectors: flat views of the contiguous arrays, made once
        FlatViews views = flat.computeIfAbsent(parameter, FlatViews::new);
        INDArray p = views.value;
        INDArray grad = views.gradient;
        if (momentum == 0) {
            decayAndStep(p, grad, lr);
            return;
        }
        INDArray buf = views.momentum;
        if (buffers.containsKey(parameter)) {
            buf.muli(momentum);
        } else {
            buffers.put(parameter, views.momentumBuffer);
        }
        Nd4j.getBlasWrapper().axpy(1.0, grad, buf);
        if (weightDecay != 0) {
            Nd4j.getBlasWrapper().axpy(weightDecay, p, buf);
        }
        if (nesterov) {
            // p - lr * (grad + wd * p + momentum * buf)
            decayAndStep(p, grad, lr);
            Nd4j.getBlasWrapper().axpy(-lr * momentum, buf, p);
        } else {
            Nd4j.getBlasWrapper().axpy(-lr, buf, p);
        }
    }

    /** {@code p = p * (1 - lr * weightDecay) - lr * grad}. */
    private void decayAndStep(INDArray p, INDArray grad, double lr) {
        if (weightDecay != 0) {
            p.muli(1 - lr * weightDecay);
        }
        Nd4j.getBlasWrapper().axpy(-lr, grad, p);
    }

    /** Vector views of a parameter's value, gradient and momentum buffer. */
    private static final class FlatViews {
        final INDArray value;
        final INDArray gradient;
        final INDArray momentumBuffer;
        final INDArray momentum;

        FlatViews(Parameter parameter) {
            this.value = flatView(parameter.value());
            this.gradient = flatView(parameter.gradient());
            this.momentumBuffer = OutsideWorkspaces.zeros(parameter.value().dataType(), parameter.value().shape());
            this.momentum = flatView(momentumBuffer);
        }

        // layers allocate their parameters contiguous, so this is a view that writes through
        private static INDArray flatView(INDArray array) {
            return array.reshape('c', new long[] {array.length()});
        }
    }

    /** The momentum buffer of each parameter that has taken a step (for checkpoints); read-only. */
    public Map<Parameter, INDArray> momentumBuffers() {
        return Collections.unmodifiableMap(buffers);
    }

    /**
     * Sets a parameter's momentum buffer to a copy of {@code buffer}, as a checkpoint holds it, so
     * that the next step continues exactly as the interrupted training would have.
     *
     * @throws IllegalArgumentException when the shapes differ, or this optimizer has no momentum
     */
    public void restoreMomentum(Parameter parameter, INDArray buffer) {
        if (momentum == 0) {
            throw new IllegalArgumentException("this optimizer has no momentum buffers to restore");
        }
        if (!Arrays.equals(parameter.value().shape(), buffer.shape())) {
            throw new IllegalArgumentException("momentum buffer of shape " + Arrays.toString(buffer.shape())
                    + " for a parameter of shape " + Arrays.toString(parameter.value().shape()));
        }
        FlatViews views = flat.computeIfAbsent(parameter, FlatViews::new);
        views.momentumBuffer.assign(buffer.castTo(views.momentumBuffer.dataType()));
        buffers.put(parameter, views.momentumBuffer);
    }
}
