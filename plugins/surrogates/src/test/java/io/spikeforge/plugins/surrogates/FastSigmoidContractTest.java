package io.spikeforge.plugins.surrogates;

import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.testkit.neuron.SurrogateFunctionContract;
import java.util.List;
import java.util.Optional;

/** The fast sigmoid passes the surrogate contract; as SpikingJelly defines it, its area is 2 alpha. */
class FastSigmoidContractTest extends SurrogateFunctionContract {
    @Override
    protected List<SurrogateFunction> surrogates() {
        return List.of(new FastSigmoidSurrogate().create(1.0), new FastSigmoidSurrogate().create(0.5),
                new FastSigmoidSurrogate().create(4.0));
    }

    @Override
    protected boolean symmetric() {
        return true;
    }

    @Override
    protected Optional<String> unitAreaExemption() {
        return Optional.of("SpikingJelly's SuperSpike, alpha / (1 + |u|)^2, has area 2 alpha");
    }
}
