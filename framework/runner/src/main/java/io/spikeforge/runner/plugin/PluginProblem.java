package io.spikeforge.runner.plugin;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A plugin, or one of its extensions, that could not be used. The other plugins still work.
 *
 * @param source the plugin's jar, or its module folder in development mode
 * @param message one line saying what is wrong and, where known, what to do
 */
public record PluginProblem(Path source, String message) {
    public PluginProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(message, "message");
    }

    /** {@code <path>: <message>}, as shown to users; the path tells apart jars of one name in two folders. */
    @Override
    public String toString() {
        return source + ": " + message;
    }
}
