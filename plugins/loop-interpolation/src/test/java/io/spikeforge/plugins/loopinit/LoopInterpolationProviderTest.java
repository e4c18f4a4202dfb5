package io.spikeforge.plugins.loopinit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.component.InvalidParametersException;
import java.util.Map;
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
}
