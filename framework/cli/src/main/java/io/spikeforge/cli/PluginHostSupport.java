package io.spikeforge.cli;

import io.spikeforge.runner.plugin.PluginHost;
import io.spikeforge.runner.plugin.PluginHostOptions;
import io.spikeforge.runner.plugin.PluginProblem;
import java.io.PrintWriter;

/** Starts the plugin host the way every command does, and reports plugins that could not be used. */
final class PluginHostSupport {
    private PluginHostSupport() {
    }

    /**
     * Starts the host on the bundled plugins (unless {@code --no-bundled-plugins}) and the folders of
     * {@code SPIKEFORGE_PLUGINS} and {@code --plugins-dir}; prints one warning per plugin problem.
     *
     * @param strict whether the command itself asks for strict checking; the global
     *     {@code --strict-plugins} and {@code SPIKEFORGE_STRICT_PLUGINS} ask for it too
     * @throws io.spikeforge.runner.plugin.PluginSetupException when the plugins cannot be set up, or
     *     when strict checking meets a plugin that cannot be used
     */
    static PluginHost start(SpikeforgeCli root, PrintWriter err, boolean strict) {
        PluginHostOptions options = PluginHostOptions.resolve(root.pluginsDirs, !root.noBundledPlugins)
                .optStrict(root.strictPlugins || strict).build();
        PluginHost host = PluginHost.start(options);
        for (PluginProblem problem : host.problems()) {
            err.println("warning: skipped plugin " + problem);
        }
        err.flush();
        return host;
    }

    /** {@link #start(SpikeforgeCli, PrintWriter, boolean)} for a command without a strict option of its own. */
    static PluginHost start(SpikeforgeCli root, PrintWriter err) {
        return start(root, err, false);
    }
}
