package io.spikeforge.testkit.neuron;

import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.List;

/** The test kit's own smooth surrogate is a valid surrogate. */
class SmoothTestSurrogateContractTest extends SurrogateFunctionContract {
    @Override
    protected List<SurrogateFunction> surrogates() {
        return List.of(new SmoothTestSurrogate(), new SmoothTestSurrogate(1.5));
    }

    @Override
    protected boolean symmetric() {
        return true;
    }

    @Override
    protected double sampleHalfWidth() {
        return 6.0;
    }
}
