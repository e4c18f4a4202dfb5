package ${package};

import io.spikeforge.api.neuron.AlphaSurrogateProvider;
import org.pf4j.Extension;

/**
 * The surrogate gradient {@code dS/du = (alpha/2) / (1 + alpha |u|)^2}, {@code u} the membrane potential
 * minus the threshold: symmetric, unit area, peak {@code alpha/2} at {@code u = 0}. Experiments select
 * it with {@code surrogate: {id: ${componentId}, alpha: 2}}.
 */
@Extension
public class ExampleSurrogate extends AlphaSurrogateProvider {
    public ExampleSurrogate() {
        super("${componentId}", "(alpha/2) / (1 + alpha |u|)^2: a fast sigmoid of unit area", 2.0,
                "sharpness: peak alpha/2 at u = 0, unit area");
    }

    /** The one definition; the array and chunk forms that neurons call are derived from it. */
    @Override
    protected double derivative(double u, double alpha) {
        double d = 1 + alpha * Math.abs(u);
        return alpha / 2 / (d * d);
    }
}
