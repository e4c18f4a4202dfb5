package io.spikeforge.plugins.surrogates;

import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.testkit.neuron.SurrogateFunctionContract;
import java.util.List;

/** Sigmoid, atan, triangle and erf pass the surrogate contract at their default alpha, a smaller and a larger one. */
class AlphaSurrogatesContractTest extends SurrogateFunctionContract {
    @Override
    protected List<SurrogateFunction> surrogates() {
        return List.of(new SigmoidSurrogate().create(4.0), new SigmoidSurrogate().create(1.0),
                new SigmoidSurrogate().create(10.0),
                new AtanSurrogate().create(2.0), new AtanSurrogate().create(1.0), new AtanSurrogate().create(5.0),
                new TriangleSurrogate().create(1.0), new TriangleSurrogate().create(0.5),
                new TriangleSurrogate().create(3.0),
                new ErfSurrogate().create(2.0), new ErfSurrogate().create(0.7), new ErfSurrogate().create(5.0));
    }

    @Override
    protected boolean symmetric() {
        return true;
    }
}
