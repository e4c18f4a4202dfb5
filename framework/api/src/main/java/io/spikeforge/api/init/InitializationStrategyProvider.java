package io.spikeforge.api.init;

import io.spikeforge.api.component.ComponentProvider;
import io.spikeforge.api.component.ResolvedParameters;

/** Extension point: builds an {@link InitializationStrategy} from its validated parameters. */
public interface InitializationStrategyProvider extends ComponentProvider {
    InitializationStrategy create(ResolvedParameters parameters);
}
