package io.spikeforge.testkit.packaging;

import io.spikeforge.api.HostInfo;
import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.api.neuron.SurrogateFunctionProvider;
import jakarta.inject.Inject;
import org.pf4j.Extension;

/** A provider that the host creates through its {@code @Inject} constructor, naming the backend it got. */
@Extension
public class InjectedSurrogateProvider implements SurrogateFunctionProvider {
    private final HostInfo host;

    @Inject
    public InjectedSurrogateProvider(HostInfo host) {
        this.host = host;
    }

    @Override
    public String id() {
        return "injected";
    }

    @Override
    public String description() {
        return "A surrogate for packaging tests, on the " + host.nd4jBackend() + " backend.";
    }

    @Override
    public ParameterSchema parameters() {
        return ParameterSchema.empty();
    }

    @Override
    public SurrogateFunction create(ResolvedParameters parameters) {
        return null; // the packaging contract never asks for the function
    }
}
