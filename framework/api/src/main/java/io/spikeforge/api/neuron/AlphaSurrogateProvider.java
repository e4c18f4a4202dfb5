package io.spikeforge.api.neuron;

import io.spikeforge.api.component.ComponentProviderBase;
import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.api.component.ResolvedParameters;
import java.util.Objects;

/**
 * A surrogate function with one shape parameter {@code alpha}, in one class: its id, its
 * descriptions, the default of {@code alpha}, and {@link #derivative(double, double)}. The
 * provider declares {@code alpha} (a finite number {@code > 0}), and {@link #create} returns a
 * {@link SurrogateFunctionBase} over that formula, so the array and chunk forms follow from it.
 * This is the parameterization of most of SpikingJelly's surrogates ({@code Sigmoid(alpha=4.0)},
 * {@code ATan(alpha=2.0)}, ...).
 *
 * <p>A subclass is a plugin's extension: annotate it with {@code @org.pf4j.Extension} and give it a
 * public no-argument constructor that calls {@link #AlphaSurrogateProvider}.
 */
public abstract class AlphaSurrogateProvider extends ComponentProviderBase implements SurrogateFunctionProvider {
    /** The parameter's name in YAML. */
    public static final String ALPHA = "alpha";

    /**
     * @param id the component id experiments write ({@code surrogate: {id: atan}})
     * @param description one line saying what the surrogate is
     * @param defaultAlpha the value of {@code alpha} when the experiment sets none, {@code > 0}
     * @param alphaDescription what {@code alpha} does, for {@code spikeforge plugins}
     */
    protected AlphaSurrogateProvider(String id, String description, double defaultAlpha, String alphaDescription) {
        super(id, description, ParameterSchema.of(ParameterSpec.number(ALPHA).optDefault(defaultAlpha).optMin(0, false)
                .optDescription(Objects.requireNonNull(alphaDescription, "alphaDescription")).build()));
    }

    /**
     * {@code dS/du} at {@code u} with shape parameter {@code alpha}: the surrogate's one definition.
     * It must be a pure function of its arguments, finite and {@code >= 0} for every finite
     * {@code alpha > 0} and every {@code u}.
     */
    protected abstract double derivative(double u, double alpha);

    @Override
    public final SurrogateFunction create(ResolvedParameters parameters) {
        return create(parameters.getDouble(ALPHA));
    }

    /**
     * The surrogate with the given {@code alpha}, as {@link #create(ResolvedParameters)} builds it
     * from an experiment's block; for tests.
     *
     * @throws IllegalArgumentException when {@code alpha} is not a finite number {@code > 0}
     */
    public final SurrogateFunction create(double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException(id() + ": alpha must be a finite number > 0, got " + alpha);
        }
        return new Function(this, alpha);
    }

    /** The surrogate {@link #create} returns: the provider's formula at a fixed {@code alpha}. */
    private static final class Function extends SurrogateFunctionBase {
        private final AlphaSurrogateProvider formula;
        private final double alpha;

        Function(AlphaSurrogateProvider formula, double alpha) {
            this.formula = formula;
            this.alpha = alpha;
        }

        @Override
        public double derivative(double u) {
            return formula.derivative(u, alpha);
        }

        @Override
        public String toString() {
            return formula.id() + "(alpha=" + alpha + ")";
        }
    }
}
