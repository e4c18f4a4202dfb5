package io.spikeforge.plugins.surrogates;

import io.spikeforge.api.neuron.AlphaSurrogateProvider;
import org.pf4j.Extension;

/**
 * {@code sigmoid}: the derivative of the logistic function {@code s(alpha u)}, that is
 * {@code alpha s(alpha u) (1 - s(alpha u))}; SpikingJelly's {@code Sigmoid(alpha=4.0)}.
 */
@Extension
public final class SigmoidSurrogate extends AlphaSurrogateProvider {
    /** Creates the provider; the plugin host calls this. */
    public SigmoidSurrogate() {
        super("sigmoid", "Sigmoid surrogate gradient: alpha s(alpha u) (1 - s(alpha u)), s the logistic function",
                4.0, "sharpness: peak alpha/4 at u = 0, unit area (SpikingJelly Sigmoid(alpha=4.0))");
    }

    /** As {@code alpha e / (1 + e)^2} with {@code e = exp(-alpha |u|)}: symmetric, no cancellation, no overflow. */
    @Override
    protected double derivative(double u, double alpha) {
        double e = Math.exp(-alpha * Math.abs(u));
        double denominator = 1 + e;
        return alpha * e / (denominator * denominator);
    }
}
