package io.spikeforge.runner.config;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Locates the YAML fixtures under {@code src/test/resources/config}. */
final class Fixtures {
    private Fixtures() {
    }

    static Path fixture(String name) {
        URL url = Fixtures.class.getResource("/config/" + name);
        assertNotNull(url, "fixture config/" + name + " is missing");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
