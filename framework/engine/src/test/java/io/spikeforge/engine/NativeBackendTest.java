package io.spikeforge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NativeBackendTest {
    @Test
    void defaultBuildLoadsTheOneDnnVariantOfLibnd4j() {
        assertEquals("CPU", NativeBackend.name());
        assertTrue(NativeBackend.hasOneDnn(), "libnd4j build info lacks HAVE_ONEDNN: " + NativeBackend.buildInfo());
        assertTrue(NativeBackend.libraryPath().contains("onednn-avx2"),
                "the loaded libnd4j is not the -onednn-avx2 build: " + NativeBackend.libraryPath());
    }
}
