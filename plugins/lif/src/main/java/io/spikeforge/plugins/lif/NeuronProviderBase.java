package io.spikeforge.plugins.lif;

import io.spikeforge.api.component.ComponentProviderBase;
import io.spikeforge.api.component.ParameterProblem;
import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.neuron.NeuronModelProvider;
import java.util.List;

/**
 * What the neuron providers of this plugin share: a validation that applies the firing rules of
 * {@link NeuronParameters} and the provider's own.
 */
abstract class NeuronProviderBase extends ComponentProviderBase implements NeuronModelProvider {
    NeuronProviderBase(String id, String description, ParameterSchema schema) {
        super(id, description, schema);
    }

    /** The shared firing and reset rules, and {@link #problems}. */
    @Override
    public final void validate(ResolvedParameters parameters) {
        NeuronParameters.validate(parameters, problems(parameters));
    }

    /** The problems of the provider's own parameters; none by default. */
    List<ParameterProblem> problems(ResolvedParameters parameters) {
        return List.of();
    }
}
