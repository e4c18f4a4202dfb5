package io.spikeforge.plugins.surrogates;

import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.testkit.neuron.SurrogateFunctionContract;
import java.util.List;

/** The rectangular surrogate passes the surrogate contract for several widths, 0.3 not being exact in binary. */
class RectangularSurrogateContractTest extends SurrogateFunctionContract {
    @Override
    protected List<SurrogateFunction> surrogates() {
        return List.of(new RectangularSurrogate(1.0), new RectangularSurrogate(0.5), new RectangularSurrogate(2.0),
                new RectangularSurrogate(0.3));
    }

    @Override
    protected boolean symmetric() {
        return true;
    }
}
