package io.spikeforge.plugins.lif;

import io.spikeforge.api.component.ParameterProblem;
import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.neuron.NeuronModelProvider;
import java.util.List;
import java.util.Objects;

/**
 * What the neuron providers of this plugin share: id, description and schema as values, and a
 * validation that applies the firing rules of {@link NeuronParameters} and the provider's own.
 */
abstract class NeuronProviderBase implements NeuronModelProvider {
    private final String id;
    private final String description;
    private final ParameterSchema schema;

    NeuronProviderBase(String id, String description, ParameterSchema schema) {
        this.id = Objects.requireNonNull(id, "id");
        this.description = Objects.requireNonNull(description, "description");
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final ParameterSchema parameters() {
        return schema;
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
