package io.spikeforge.runner.plugin;

import java.nio.file.Path;
import org.pf4j.PluginState;

/**
 * A plugin the host loaded, as it stands when asked.
 *
 * @param id the plugin's id
 * @param version its version
 * @param description its one-line description (empty when it declares none)
 * @param path its jar, or its module folder in development mode
 * @param state its state: {@code STARTED} when in use, {@code UNLOADED} after {@link PluginHost#close()}
 */
public record LoadedPlugin(String id, String version, String description, Path path, PluginState state) {
}
