package io.spikeforge.api.distill;

import io.spikeforge.api.component.ComponentProvider;
import io.spikeforge.api.component.ResolvedParameters;

/** Extension point: builds a {@link DistillationLoss} from its validated parameters. */
public interface DistillationLossProvider extends ComponentProvider {
    DistillationLoss create(ResolvedParameters parameters);
}
