package io.spikeforge.testkit.neuron;

import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.List;

/** The surrogate contract passes a correct surrogate. */
class TriangleSurrogateContractTest extends SurrogateFunctionContract {
    @Override
    protected List<SurrogateFunction> surrogates() {
        return List.of(new TriangleSurrogate());
    }

    @Override
    protected boolean symmetric() {
        return true;
    }
}
