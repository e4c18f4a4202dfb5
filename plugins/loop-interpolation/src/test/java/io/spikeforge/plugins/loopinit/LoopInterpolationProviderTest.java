package io.spikeforge.plugins.loopinit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.component.InvalidParametersException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LoopInterpolationProviderTest {
    private final LoopInterpolationProvider provider = new LoopInterpolationProvider();

    @Test
    void defaultsAreTheIdsnnReference() {
        assertEquals(Map.of("block_mapping", "first", "transfer_stem", true, "transfer_shortcut", false),
                provider.parameters().defaults().asMap());
        LoopInterpolation strategy = assertInstanceOf(LoopInterpolation.class, provider.create(provider.parameters().defaults()));
        assertEquals(BlockMapping.FIRST, strategy.blockMapping());
        assertTrue(strategy.transfersStem());
        assertFalse(strategy.transfersShortcut());
    }

    @Test
    void parametersReachTheStrategy() {
        LoopInterpolation strategy = assertInstanceOf(LoopInterpolation.class, provider.create(provider.parameters().resolve(
                Map.of("block_mapping", "relative", "transfer_stem", false, "transfer_shortcut", true))));
        assertEquals(BlockMapping.RELATIVE, strategy.blockMapping());
        assertFalse(strategy.transfersStem());
        assertTrue(strategy.transfersShortcut());
    }

    @Test
    void misspelledMappingGetsASuggestion() {
        InvalidParametersException error = assertThrows(InvalidParametersException.class,
                () -> provider.parameters().resolve(Map.of("block_mapping", "frist")));
        assertEquals("block_mapping", error.problems().get(0).key());
        assertTrue(error.getMessage().contains("did you mean 'first'"), error.getMessage());
    }

    @Test
    void misspelledKeyGetsASuggestion() {
        InvalidParametersException error = assertThrows(InvalidParametersException.class,
                () -> provider.parameters().resolve(Map.of("transfer_shortcuts", true)));
        assertTrue(error.getMessage().contains("did you mean 'transfer_shortcut'"), error.getMessage());
    }

    @Test
    void extensionIndexAndPluginDescriptorNameTheProvider() throws IOException {
        boolean indexed = false;
        for (URL index : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
            try (InputStream in = index.openStream()) {
                indexed |= new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .anyMatch(LoopInterpolationProvider.class.getName()::equals);
            }
        }
        assertTrue(indexed, "no META-INF/extensions.idx lists " + LoopInterpolationProvider.class.getName());

        Properties descriptor = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("plugin.properties")) {
            descriptor.load(in);
        }
        assertEquals(provider.id(), descriptor.getProperty("plugin.id"));
        assertTrue(descriptor.getProperty("plugin.version").matches("\\d+\\.\\d+\\.\\d+.*"),
                "plugin.version is not filtered: " + descriptor.getProperty("plugin.version"));
    }
}
