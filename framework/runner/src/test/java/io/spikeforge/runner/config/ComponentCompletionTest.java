package io.spikeforge.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.component.InvalidParametersException;
import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.NeuronModelProvider;
import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.runner.plugin.ComponentRegistry;
import io.spikeforge.runner.plugin.RegisteredComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slot resolves to the provider's completed parameters, so that the resolved configuration holds
 * every value the component uses, including those it derives; a completion that does not describe
 * a valid, complete component is reported as the plugin's fault.
 */
class ComponentCompletionTest {
    private static final String MINIMAL = "experiment: {name: x}\ndataset: {name: synthetic, path: data}\n";

    @TempDir
    Path dir;

    /** A leaky neuron like lif: decay or tau (decay = 1 - 1/tau), 0.25 when neither is given. */
    private record Leaky(UnaryOperator<ResolvedParameters> completion) implements NeuronModelProvider {
        @Override
        public String id() {
            return "leaky";
        }

        @Override
        public String description() {
            return "a neuron whose leak has a derived default";
        }

        @Override
        public ParameterSchema parameters() {
            return ParameterSchema.of(ParameterSpec.number("decay").optional().optRange(0, 1).build(),
                    ParameterSpec.number("tau").optional().optMin(1, false).build(),
                    ParameterSpec.number("threshold").optDefault(0.5).optMin(0, false).build());
        }

        @Override
        public void validate(ResolvedParameters parameters) {
            if (parameters.isSet("decay") && parameters.isSet("tau")) {
                throw new InvalidParametersException("tau", "cannot be combined with 'decay'");
            }
        }

        @Override
        public ResolvedParameters complete(ResolvedParameters parameters) {
            return completion.apply(parameters);
        }

        @Override
        public NeuronModel create(ResolvedParameters parameters, SurrogateFunction surrogate, DataType dataType) {
            throw new UnsupportedOperationException("configuration tests build no neurons");
        }
    }

    private static ResolvedParameters leakUsed(ResolvedParameters p) {
        if (p.isSet("tau")) {
            return p.with("decay", 1 - 1 / p.getDouble("tau")).with("tau", null);
        }
        return p.isSet("decay") ? p : p.with("decay", 0.25);
    }

    private ExperimentLoader loader(UnaryOperator<ResolvedParameters> completion) {
        List<RegisteredComponent> components = new ArrayList<>(TestComponents.registry().all());
        components.add(new RegisteredComponent(new Leaky(completion), "leaky-plugin", "2.0", Path.of("leaky.jar")));
        return new ExperimentLoader(ComponentRegistry.of(components));
    }

    private Path experiment(String neuron) throws Exception {
        return Files.writeString(dir.resolve("x.yaml"), MINIMAL + "neuron: " + neuron + "\n");
    }

    @Test
    void theResolvedConfigurationHoldsTheValuesTheComponentDerives() throws Exception {
        ExperimentLoader loader = loader(ComponentCompletionTest::leakUsed);

        DistillExperiment byDefault = (DistillExperiment) loader.load(experiment("{id: leaky}"));
        DistillExperiment byTau = (DistillExperiment) loader.load(experiment("{id: leaky, tau: 4}"));

        assertEquals(0.25, byDefault.neuron().parameters().getDouble("decay"));
        assertTrue(byDefault.toYaml().contains("neuron:\n  id: leaky\n  plugin: leaky-plugin\n  plugin_version: \"2.0\"\n"
                + "  decay: 0.25\n  tau: null\n  threshold: 0.5\n"), byDefault.toYaml());
        assertEquals("0.25", byDefault.flatten().get("neuron.decay"));
        assertEquals(0.75, byTau.neuron().parameters().getDouble("decay"));
        for (Experiment x : List.of(byDefault, byTau)) {
            Path resolved = Files.writeString(dir.resolve("resolved.yaml"), x.toYaml());
            assertEquals(x, loader.load(resolved), "the resolved file loads back to the same experiment");
        }
    }

    @Test
    void aCompletionThatFailsTheComponentsOwnChecksIsThePluginsFault() throws Exception {
        ConfigException outOfRange = assertThrows(ConfigException.class,
                () -> loader(p -> p.with("decay", 2.0)).load(experiment("{id: leaky}")));
        assertTrue(outOfRange.getMessage().contains(":3:1: neuron: the neuron model 'leaky' from plugin 'leaky-plugin'"
                + " 2.0 failed while completing its parameters {decay=null, tau=null, threshold=0.5}:"
                + " java.lang.IllegalStateException: its completion {decay=2.0, tau=null, threshold=0.5} fails its own"
                + " checks: decay: expected a number in [0, 1], got the number 2"), outOfRange.getMessage());

        ConfigException unstable = assertThrows(ConfigException.class,
                () -> loader(p -> p.with("threshold", p.getDouble("threshold") + 1)).load(experiment("{id: leaky}")));
        assertTrue(unstable.getMessage().contains("its completion {decay=null, tau=null, threshold=1.5} does not"
                + " complete to itself"), unstable.getMessage());
    }
}
