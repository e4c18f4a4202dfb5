package io.spikeforge.plugins.lif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The build packages the plugin for PF4J: an extension index naming both providers and plugin.properties. */
class PluginPackagingTest {
    private static final URL CLASSES = LifNeuronProvider.class.getProtectionDomain().getCodeSource().getLocation();

    @Test
    void extensionIndexNamesBothProviders() throws IOException {
        try (InputStream index = new URL(CLASSES, "META-INF/extensions.idx").openStream()) {
            List<String> lines = new String(index.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertTrue(lines.contains(LifNeuronProvider.class.getName()), lines.toString());
            assertTrue(lines.contains(IfNeuronProvider.class.getName()), lines.toString());
        }
    }

    @Test
    void pluginPropertiesCarryIdAndVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = new URL(CLASSES, "plugin.properties").openStream()) {
            properties.load(in);
        }
        assertEquals("lif", properties.getProperty("plugin.id"));
        assertTrue(properties.getProperty("plugin.version").matches("\\d+\\.\\d+\\.\\d+.*"),
                () -> "plugin.version is not filtered: " + properties.getProperty("plugin.version"));
    }
}
