package io.spikeforge.runner.plugin;

import com.google.inject.Guice;
import com.google.inject.Inject;
import io.spikeforge.api.activation.AnnActivationProvider;
import io.spikeforge.api.component.ComponentKind;
import io.spikeforge.api.convert.ThresholdStrategyProvider;
import io.spikeforge.api.distill.DistillationLossProvider;
import io.spikeforge.api.init.InitializationStrategyProvider;
import io.spikeforge.api.neuron.NeuronModelProvider;
import io.spikeforge.api.neuron.SurrogateFunctionProvider;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The installed components, typed by extension point, as the injector hands them out: one
 * {@code Map<String, P>} per extension point ({@link ComponentModule}) injected here. This is how
 * experiment kinds and their phases get their plugin components, without looking them up and
 * casting. {@link PluginHost#components()} gives the host's; {@link #of} builds the same from a registry.
 */
public final class ComponentProviders {
    private final Map<String, NeuronModelProvider> neuronModels;
    private final Map<String, SurrogateFunctionProvider> surrogateFunctions;
    private final Map<String, InitializationStrategyProvider> initializationStrategies;
    private final Map<String, DistillationLossProvider> distillationLosses;
    private final Map<String, AnnActivationProvider> annActivations;
    private final Map<String, ThresholdStrategyProvider> thresholdStrategies;

    @Inject
    ComponentProviders(Map<String, NeuronModelProvider> neuronModels,
                       Map<String, SurrogateFunctionProvider> surrogateFunctions,
                       Map<String, InitializationStrategyProvider> initializationStrategies,
                       Map<String, DistillationLossProvider> distillationLosses,
                       Map<String, AnnActivationProvider> annActivations,
                       Map<String, ThresholdStrategyProvider> thresholdStrategies) {
        this.neuronModels = Map.copyOf(neuronModels);
        this.surrogateFunctions = Map.copyOf(surrogateFunctions);
        this.initializationStrategies = Map.copyOf(initializationStrategies);
        this.distillationLosses = Map.copyOf(distillationLosses);
        this.annActivations = Map.copyOf(annActivations);
        this.thresholdStrategies = Map.copyOf(thresholdStrategies);
    }

    /** The components of a registry, through an injector built as the plugin host builds its own. */
    public static ComponentProviders of(ComponentRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        return Guice.createInjector(new ComponentModule(registry)).getInstance(ComponentProviders.class);
    }

    /** The neuron model provider of an id. @throws IllegalArgumentException when none is installed */
    public NeuronModelProvider neuronModel(String id) {
        return require(neuronModels, ComponentKind.NEURON_MODEL, id);
    }

    /** The surrogate function provider of an id. @throws IllegalArgumentException when none is installed */
    public SurrogateFunctionProvider surrogateFunction(String id) {
        return require(surrogateFunctions, ComponentKind.SURROGATE_FUNCTION, id);
    }

    /** The initialization strategy provider of an id. @throws IllegalArgumentException when none is installed */
    public InitializationStrategyProvider initializationStrategy(String id) {
        return require(initializationStrategies, ComponentKind.INITIALIZATION_STRATEGY, id);
    }

    /** The distillation loss provider of an id. @throws IllegalArgumentException when none is installed */
    public DistillationLossProvider distillationLoss(String id) {
        return require(distillationLosses, ComponentKind.DISTILLATION_LOSS, id);
    }

    /** The ANN activation provider of an id. @throws IllegalArgumentException when none is installed */
    public AnnActivationProvider annActivation(String id) {
        return require(annActivations, ComponentKind.ANN_ACTIVATION, id);
    }

    /** The threshold strategy provider of an id. @throws IllegalArgumentException when none is installed */
    public ThresholdStrategyProvider thresholdStrategy(String id) {
        return require(thresholdStrategies, ComponentKind.THRESHOLD_STRATEGY, id);
    }

    private static <P> P require(Map<String, P> providers, ComponentKind kind, String id) {
        P provider = providers.get(id);
        if (provider == null) {
            throw new IllegalArgumentException("no " + kind.displayName() + " '" + id + "' is installed; installed: "
                    + (providers.isEmpty() ? "none" : String.join(", ", new TreeSet<>(providers.keySet()))));
        }
        return provider;
    }
}
