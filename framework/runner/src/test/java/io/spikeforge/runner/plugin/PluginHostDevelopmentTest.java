package io.spikeforge.runner.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import io.spikeforge.api.component.ComponentKind;
import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.api.neuron.SurrogateFunctionProvider;
import io.spikeforge.testkit.SlowTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pf4j.PluginState;

/** {@link PluginHost} in development mode, on a source tree laid out like Spikeforge's. */
@SlowTest
class PluginHostDevelopmentTest {

    @Test
    void loadsCompiledModulesOfTheSourceTreeAndReportsUncompiledOnes(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("framework").resolve("api"));
        Path plugins = Files.createDirectories(root.resolve("plugins"));
        Files.writeString(plugins.resolve("pom.xml"), "<project/>");
        Files.createDirectories(plugins.resolve("target").resolve("classes"));
        Files.createDirectories(plugins.resolve("docs"));
        Path sigmoid = module(plugins, "sigmoid");
        TestPlugins.sigmoid("sigmoid-dev", "0.1.0-SNAPSHOT").optDescription("Compiled in place.")
                .writeClasses(sigmoid.resolve("target").resolve("classes"));
        Path uncompiled = module(plugins, "uncompiled");
        Path resources = Files.createDirectories(uncompiled.resolve("src").resolve("main").resolve("resources"));
        Files.writeString(resources.resolve("plugin.properties"), "plugin.id=uncompiled\nplugin.version=1.0.0\n");
        Path workingDirectory = Files.createDirectories(sigmoid.resolve("src").resolve("main").resolve("java"));

        PluginHostOptions options = PluginHostOptions.resolve(List.of(), true, Map.of(), null, workingDirectory).build();
        assertEquals(List.of(PluginHostOptions.Mode.DEVELOPMENT), options.folders().stream()
                .map(PluginHostOptions.Folder::mode).toList());
        assertEquals(plugins, options.folders().get(0).directory());

        try (PluginHost host = PluginHost.start(options)) {
            assertEquals(List.of(new LoadedPlugin("sigmoid-dev", "0.1.0-SNAPSHOT", "Compiled in place.", sigmoid,
                    PluginState.STARTED)), host.plugins());
            assertEquals(1, host.problems().size(), host.problems().toString());
            PluginProblem problem = host.problems().get(0);
            assertEquals(uncompiled, problem.source());
            assertTrue(problem.message().contains("not compiled") && problem.message().contains("mvn -o -q compile"),
                    problem.message());

            SurrogateFunctionProvider provider = host.injector()
                    .getInstance(Key.get(new TypeLiteral<Map<String, SurrogateFunctionProvider>>() {
                    })).get("sigmoid");
            assertInstanceOf(HostFirstPluginClassLoader.class, provider.getClass().getClassLoader());
            assertEquals(sigmoid, host.registry().find(ComponentKind.SURROGATE_FUNCTION, "sigmoid").orElseThrow().source());
            SurrogateFunction surrogate = provider.create(provider.parameters().defaults());
            INDArray u = Nd4j.createFromArray(0.0, 0.5);
            INDArray derivative = surrogate.derivative(u, Nd4j.zerosLike(u));
            assertEquals(surrogate.derivative(0.0), derivative.getDouble(0), 1e-12);
            assertEquals(surrogate.derivative(0.5), derivative.getDouble(1), 1e-12);
        }
    }

    private static Path module(Path plugins, String name) throws IOException {
        Path module = Files.createDirectories(plugins.resolve(name));
        Files.writeString(module.resolve("pom.xml"), "<project/>");
        return module;
    }
}
