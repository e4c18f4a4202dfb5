package io.spikeforge.plugins.surrogates;

import io.spikeforge.api.neuron.AlphaSurrogateProvider;
import org.pf4j.Extension;

/**
 * {@code atan}: the derivative of {@code arctan(pi/2 alpha u) / pi + 1/2}, that is
 * {@code (alpha/2) / (1 + (pi/2 alpha u)^2)}; SpikingJelly's {@code ATan(alpha=2.0)}.
 */
@Extension
public final class AtanSurrogate extends AlphaSurrogateProvider {
    /** Creates the provider; the plugin host calls this. */
    public AtanSurrogate() {
        super("atan", "Arctangent surrogate gradient: (alpha/2) / (1 + (pi/2 alpha u)^2)",
                2.0, "sharpness: peak alpha/2 at u = 0, unit area, tails ~ 1/u^2 (SpikingJelly ATan(alpha=2.0))");
    }

    @Override
    protected double derivative(double u, double alpha) {
        double half = alpha / 2;
        double x = Math.PI * half * u;
        return half / (1 + x * x);
    }
}
