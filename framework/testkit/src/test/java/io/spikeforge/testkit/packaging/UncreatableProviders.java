package io.spikeforge.testkit.packaging;

import io.spikeforge.api.HostInfo;
import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.api.neuron.SurrogateFunctionProvider;
import jakarta.inject.Inject;

/** Providers the host cannot create, one per way of getting the constructor wrong. */
final class UncreatableProviders {
    private UncreatableProviders() {
    }

    /** Shared by the providers below: everything but the constructors. */
    public abstract static class Base implements SurrogateFunctionProvider {
        @Override
        public String id() {
            return "uncreatable";
        }

        @Override
        public String description() {
            return "Never created.";
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

    /** Its only constructor takes a value and is not {@code @Inject}. */
    public static class TakesAValue extends Base {
        public TakesAValue(String id) {
        }
    }

    /** Its {@code @Inject} constructor wants something the host does not bind. */
    public static class InjectsAnUnboundType extends Base {
        @Inject
        public InjectsAnUnboundType(HostInfo host, StringBuilder log) {
        }
    }

    /** Two {@code @Inject} constructors: Guice would not know which. */
    public static class InjectsTwice extends Base {
        @Inject
        public InjectsTwice() {
        }

        @Inject
        public InjectsTwice(HostInfo host) {
        }
    }

    /** Its {@code @Inject} constructor is not public. */
    public static class InjectsPrivately extends Base {
        @Inject
        InjectsPrivately(HostInfo host) {
        }
    }
}
