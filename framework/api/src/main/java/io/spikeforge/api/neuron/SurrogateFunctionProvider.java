package io.spikeforge.api.neuron;

import io.spikeforge.api.component.ComponentProvider;
import io.spikeforge.api.component.ResolvedParameters;

/** Extension point: builds a {@link SurrogateFunction} from its validated parameters. */
public interface SurrogateFunctionProvider extends ComponentProvider {
    SurrogateFunction create(ResolvedParameters parameters);
}
