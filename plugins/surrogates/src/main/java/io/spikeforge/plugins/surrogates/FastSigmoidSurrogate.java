package io.spikeforge.plugins.surrogates;

import io.spikeforge.api.neuron.AlphaSurrogateProvider;
import org.pf4j.Extension;

/**
 * {@code fast-sigmoid}: SuperSpike's fast sigmoid (Zenke and Ganguli 2018) as SpikingJelly defines it,
 * {@code alpha / (1 + |u|)^2}; SpikingJelly's {@code SuperSpike(alpha=1.0)}. There {@code alpha}
 * scales the height, not the width, so the area is {@code 2 alpha}; snnTorch's
 * {@code fast_sigmoid(slope)}, {@code 1 / (slope |u| + 1)^2}, is another parameterization.
 */
@Extension
public final class FastSigmoidSurrogate extends AlphaSurrogateProvider {
    /** Creates the provider; the plugin host calls this. */
    public FastSigmoidSurrogate() {
        super("fast-sigmoid", "Fast-sigmoid (SuperSpike) surrogate gradient: alpha / (1 + |u|)^2",
                1.0, "height at u = 0; the area is 2 alpha, tails ~ alpha/u^2 (SpikingJelly SuperSpike(alpha=1.0))");
    }

    @Override
    protected double derivative(double u, double alpha) {
        double x = 1 + Math.abs(u);
        return alpha / (x * x);
    }
}
