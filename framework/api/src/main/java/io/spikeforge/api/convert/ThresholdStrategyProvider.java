package io.spikeforge.api.convert;

import io.spikeforge.api.component.ComponentProvider;
import io.spikeforge.api.component.ResolvedParameters;

/** Extension point: builds a {@link ThresholdStrategy}, once per conversion. */
public interface ThresholdStrategyProvider extends ComponentProvider {
    /** @param parameters validated parameters */
    ThresholdStrategy create(ResolvedParameters parameters);
}
