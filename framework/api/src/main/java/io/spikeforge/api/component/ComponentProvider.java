package io.spikeforge.api.component;

import org.pf4j.ExtensionPoint;

/**
 * What every pluggable component's provider shares. A provider is a stateless factory that the
 * plugin host discovers (annotate implementations with {@code @org.pf4j.Extension}); experiments
 * select it by {@link #id()} and configure it with a YAML block validated against
 * {@link #parameters()}.
 *
 * <p>Implement one of the sub-interfaces listed in {@link ComponentKind}, not this one.
 */
public interface ComponentProvider extends ExtensionPoint {
    /** Stable id used in YAML ({@code id: lif}); lowercase words joined by hyphens. */
    String id();

    /** One line saying what the component is. */
    String description();

    /** The parameters the component's YAML block may set. */
    ParameterSchema parameters();

    /**
     * Checks rules that involve several parameters at once (for example two that exclude each
     * other). Called after {@link ParameterSchema#resolve} succeeded.
     *
     * @throws InvalidParametersException naming the offending keys
     */
    default void validate(ResolvedParameters parameters) {
    }

    /**
     * The parameters with every value the component would otherwise derive when it is created set
     * explicitly: an optional parameter's fallback, or a parameter computed from another (the
     * {@code lif} neuron's leak from {@code tau}, or its IDSNN value 0.25 when neither is given). The
     * result is what a run records, so that it means the same after a default changes.
     *
     * <p>Called after {@link #validate}; replace values with {@link ResolvedParameters#with}. The
     * result must describe the same component, pass {@link ParameterSchema#resolve} and
     * {@link #validate} again, and complete to itself; the host checks this. The default returns
     * the parameters unchanged, right for a component whose parameters all have fixed defaults.
     */
    default ResolvedParameters complete(ResolvedParameters parameters) {
        return parameters;
    }
}
