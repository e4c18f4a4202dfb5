package io.spikeforge.plugins.surrogates;

import io.spikeforge.api.neuron.AlphaSurrogateProvider;
import org.pf4j.Extension;

/**
 * {@code erf}: a Gaussian, the derivative of {@code (1 + erf(alpha u)) / 2}, that is
 * {@code alpha / sqrt(pi) exp(-(alpha u)^2)}; SpikingJelly's {@code Erf(alpha=2.0)}.
 */
@Extension
public final class ErfSurrogate extends AlphaSurrogateProvider {
    private static final double INVERSE_SQRT_PI = 1 / Math.sqrt(Math.PI);

    /** Creates the provider; the plugin host calls this. */
    public ErfSurrogate() {
        super("erf", "Gaussian surrogate gradient (of the erf spike): alpha / sqrt(pi) exp(-(alpha u)^2)",
                2.0, "sharpness: peak alpha/sqrt(pi) at u = 0, standard deviation 1/(sqrt(2) alpha), unit area"
                        + " (SpikingJelly Erf(alpha=2.0))");
    }

    @Override
    protected double derivative(double u, double alpha) {
        double x = alpha * u;
        return alpha * INVERSE_SQRT_PI * Math.exp(-x * x);
    }
}
