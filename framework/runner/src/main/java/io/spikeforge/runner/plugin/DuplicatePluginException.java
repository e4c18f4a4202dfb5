package io.spikeforge.runner.plugin;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Several jars (or development modules) name the same plugin id, in one folder or across folders: the
 * host refuses to guess which one is meant.
 */
public class DuplicatePluginException extends PluginSetupException {
    private static final long serialVersionUID = 1L;

    /** @param sources the jars or modules claiming {@code pluginId}, at least two */
    public DuplicatePluginException(String pluginId, List<Path> sources) {
        super("plugin id '" + pluginId + "' is claimed by " + sources.size() + " jars: "
                + sources.stream().map(Path::toString).collect(Collectors.joining(", "))
                + "; keep one of them (an old copy, or a copy of a bundled plugin, in a plugins folder?)");
    }
}
