package io.spikeforge.runner.config;

import io.spikeforge.api.activation.AnnActivation;
import io.spikeforge.api.activation.AnnActivationProvider;
import io.spikeforge.api.component.ComponentProvider;
import io.spikeforge.api.component.InvalidParametersException;
import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.distill.DistillationLoss;
import io.spikeforge.api.distill.DistillationLossProvider;
import io.spikeforge.api.init.InitializationStrategy;
import io.spikeforge.api.init.InitializationStrategyProvider;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.NeuronModelProvider;
import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.api.neuron.SurrogateFunctionProvider;
import io.spikeforge.runner.plugin.ComponentRegistry;
import io.spikeforge.runner.plugin.RegisteredComponent;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/** A registry of small fake components, standing in for the plugins in loader and sweep tests. */
public final class TestComponents {
    static final String PLUGIN_ID = "test-plugin";
    static final String PLUGIN_VERSION = "1.2.3";

    private TestComponents() {
    }

    public static ComponentRegistry registry() {
        return ComponentRegistry.of(List.of(
                registered(new Neuron("lif", ParameterSchema.of(
                        ParameterSpec.number("decay").optDefault(0.25).optRange(0, 1).build(),
                        ParameterSpec.number("threshold").optDefault(0.5).optMin(0, false).build(),
                        ParameterSpec.bool("detach_reset").optDefault(true).build()))),
                registered(new Neuron("if", ParameterSchema.of(
                        ParameterSpec.number("threshold").optDefault(1.0).optMin(0, false).build(),
                        ParameterSpec.number("v_init").optional().build()))),
                registered(new Surrogate("rectangular", ParameterSchema.of(
                        ParameterSpec.number("width").optDefault(1.0).optMin(0, false).build()))),
                registered(new Surrogate("sigmoid", ParameterSchema.of(
                        ParameterSpec.number("alpha").optDefault(4.0).optMin(0, false).build()))),
                registered(new Initialization("loop-interpolation", ParameterSchema.of(
                        ParameterSpec.bool("transfer_shortcut").optDefault(false).build()))),
                registered(new Distillation("hinton-kd", ParameterSchema.of(
                        ParameterSpec.number("temperature").optDefault(4.0).optMin(0, false).build(),
                        ParameterSpec.number("weight").optDefault(0.3).optMin(0, true).build()))),
                registered(new Distillation("feature-kd", ParameterSchema.of(
                        ParameterSpec.string("layer").build(),
                        ParameterSpec.choice("distance", "l2", "cosine").optDefault("l2").build()))),
                registered(new Activation("qcfs", ParameterSchema.of(
                        ParameterSpec.integer("levels").optDefault(4L).optMin(1, true).build(),
                        ParameterSpec.number("threshold").optDefault(8.0).optMin(0, false).build())))));
    }

    private static RegisteredComponent registered(ComponentProvider provider) {
        return new RegisteredComponent(provider, PLUGIN_ID, PLUGIN_VERSION, Path.of("plugins/test-plugin.jar"));
    }

    private record Neuron(String id, ParameterSchema parameters) implements NeuronModelProvider {
        @Override
        public String description() {
            return "fake neuron " + id;
        }

        /** The IF neuron's initial membrane must start below its threshold. */
        @Override
        public void validate(ResolvedParameters parameters) {
            if (id.equals("if") && parameters.isSet("v_init")
                    && parameters.getDouble("v_init") >= parameters.getDouble("threshold")) {
                throw new InvalidParametersException("v_init", "must be below threshold ("
                        + parameters.getDouble("threshold") + ")");
            }
        }

        @Override
        public NeuronModel create(ResolvedParameters parameters, SurrogateFunction surrogate, DataType dataType) {
            throw new UnsupportedOperationException("configuration tests build no neurons");
        }
    }

    private record Surrogate(String id, ParameterSchema parameters) implements SurrogateFunctionProvider {
        @Override
        public String description() {
            return "fake surrogate " + id;
        }

        @Override
        public SurrogateFunction create(ResolvedParameters parameters) {
            throw new UnsupportedOperationException("configuration tests build no surrogates");
        }
    }

    private record Initialization(String id, ParameterSchema parameters) implements InitializationStrategyProvider {
        @Override
        public String description() {
            return "fake initialization " + id;
        }

        @Override
        public InitializationStrategy create(ResolvedParameters parameters) {
            throw new UnsupportedOperationException("configuration tests build no strategies");
        }
    }

    private record Distillation(String id, ParameterSchema parameters) implements DistillationLossProvider {
        @Override
        public String description() {
            return "fake distillation loss " + id;
        }

        @Override
        public DistillationLoss create(ResolvedParameters parameters) {
            throw new UnsupportedOperationException("configuration tests build no losses");
        }
    }

    private record Activation(String id, ParameterSchema parameters) implements AnnActivationProvider {
        @Override
        public String description() {
            return "fake ANN activation " + id;
        }

        @Override
        public AnnActivation create(ResolvedParameters parameters, int channels, DataType dataType) {
            throw new UnsupportedOperationException("configuration tests build no activations");
        }
    }
}
