package io.spikeforge.api.component;

import java.util.Objects;

/**
 * A provider whose id, description and parameter schema are fixed values given once to the
 * constructor, the common case; a subclass adds the sub-interface of its kind and its factory method.
 */
public abstract class ComponentProviderBase implements ComponentProvider {
    private final String id;
    private final String description;
    private final ParameterSchema schema;

    /**
     * @param id the component id experiments write ({@code id: atan})
     * @param description one line saying what the component is
     * @param schema the parameters the component's YAML block may set
     */
    protected ComponentProviderBase(String id, String description, ParameterSchema schema) {
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
}
