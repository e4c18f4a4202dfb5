package io.spikeforge.plugins.surrogates;

import io.spikeforge.api.neuron.AlphaSurrogateProvider;
import org.pf4j.Extension;

/**
 * {@code triangle}: piecewise linear, {@code max(0, alpha - alpha^2 |u|)}, a triangle of height
 * {@code alpha} on {@code |u| < 1/alpha}; SpikingJelly's {@code PiecewiseQuadratic(alpha=1.0)} (named
 * after its primitive function, which is piecewise quadratic).
 */
@Extension
public final class TriangleSurrogate extends AlphaSurrogateProvider {
    /** Creates the provider; the plugin host calls this. */
    public TriangleSurrogate() {
        super("triangle", "Triangle (piecewise-linear) surrogate gradient: max(0, alpha - alpha^2 |u|)",
                1.0, "height alpha, support |u| < 1/alpha, unit area (SpikingJelly PiecewiseQuadratic(alpha=1.0))");
    }

    @Override
    protected double derivative(double u, double alpha) {
        return Math.max(0, alpha * (1 - alpha * Math.abs(u)));
    }
}
