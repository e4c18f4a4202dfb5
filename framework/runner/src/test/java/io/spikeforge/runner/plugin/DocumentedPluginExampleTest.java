package io.spikeforge.runner.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.component.ComponentKind;
import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.api.neuron.SurrogateFunctionProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The plugin that docs/plugins.md walks through compiles, loads from a jar and computes what it says. */
class DocumentedPluginExampleTest {
    private static final Path GUIDE = Path.of("../../docs/plugins.md");

    @Test
    void theGuidesExamplePluginWorksAsDescribed(@TempDir Path pluginsDir) throws IOException {
        String provider = javaBlockDeclaring("class TriangleSurrogateProvider");
        String properties = block("properties");
        PluginJarBuilder.plugin(property(properties, "plugin.id"), property(properties, "plugin.version"))
                .source("org.example.triangle.TriangleSurrogateProvider", provider)
                .writeJar(pluginsDir.resolve("triangle-surrogate.jar"));

        try (PluginHost host = PluginHost.start(PluginHostOptions.deployment(pluginsDir).build())) {
            assertEquals(List.of(), host.problems());
            RegisteredComponent component = host.registry().find(ComponentKind.SURROGATE_FUNCTION, "triangle")
                    .orElseThrow();
            assertEquals("triangle-surrogate", component.pluginId());
            SurrogateFunctionProvider triangle = (SurrogateFunctionProvider) component.provider();
            SurrogateFunction f = triangle.create(triangle.parameters().resolve(Map.of("width", 0.5)));
            INDArray u = Nd4j.createFromArray(-0.6, -0.25, 0.0, 0.1, 0.5).castTo(DataType.DOUBLE);
            INDArray out = f.derivative(u, Nd4j.zeros(DataType.DOUBLE, 5));
            for (int i = 0; i < 5; i++) {
                double x = u.getDouble(i);
                double expected = Math.max(0, 1 - Math.abs(x) / 0.5) / 0.5;
                assertEquals(expected, out.getDouble(i), 1e-12, "at u = " + x);
                assertEquals(expected, f.derivative(x), 1e-12, "scalar form at u = " + x);
            }
        }
    }

    private static String guide() throws IOException {
        assertTrue(Files.isRegularFile(GUIDE), "missing " + GUIDE.toAbsolutePath());
        return Files.readString(GUIDE);
    }

    private static String javaBlockDeclaring(String declaration) throws IOException {
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(guide());
        while (m.find()) {
            if (m.group(1).contains(declaration)) {
                return m.group(1);
            }
        }
        throw new AssertionError("docs/plugins.md has no java block declaring " + declaration);
    }

    private static String block(String language) throws IOException {
        Matcher m = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL).matcher(guide());
        if (!m.find()) {
            throw new AssertionError("docs/plugins.md has no " + language + " block");
        }
        return m.group(1);
    }

    private static String property(String properties, String key) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "=(.*)$").matcher(properties);
        if (!m.find()) {
            throw new AssertionError("the guide's plugin.properties lacks " + key);
        }
        return m.group(1).trim();
    }
}
