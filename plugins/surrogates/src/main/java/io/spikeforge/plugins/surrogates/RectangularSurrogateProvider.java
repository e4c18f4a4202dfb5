package io.spikeforge.plugins.surrogates;

import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.api.neuron.SurrogateFunctionProvider;
import org.pf4j.Extension;

/** Provides the {@code rectangular} surrogate; parameter {@code width} (the box's width, default 1). */
@Extension
public final class RectangularSurrogateProvider implements SurrogateFunctionProvider {
    /** The component id used in YAML. */
    public static final String ID = "rectangular";
    static final String WIDTH = "width";

    private static final ParameterSchema SCHEMA = ParameterSchema.of(
            ParameterSpec.number(WIDTH).optDefault(1.0).optMin(0, false)
                    .optDescription("width a of the box: dS/du = 1/a where |u| < a/2, else 0 (IDSNN: 1); SpikingJelly's Rect(alpha) is a = 1/alpha")
                    .build());

    /** Creates the provider; the plugin host calls this. */
    public RectangularSurrogateProvider() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Rectangular surrogate gradient: 1/a inside a box of width a around the threshold, 0 outside";
    }

    @Override
    public ParameterSchema parameters() {
        return SCHEMA;
    }

    @Override
    public SurrogateFunction create(ResolvedParameters parameters) {
        return new RectangularSurrogate(parameters.getDouble(WIDTH));
    }
}
