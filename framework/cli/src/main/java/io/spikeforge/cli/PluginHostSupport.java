package io.spikeforge.cli;

import io.spikeforge.runner.plugin.PluginHost;
import io.spikeforge.runner.plugin.PluginHostOptions;
import io.spikeforge.runner.plugin.PluginProblem;
import java.io.PrintWriter;

/** Starts the plugin host the way every command does, and reports plugins that failed to load. */
final class PluginHostSupport {
    private PluginHostSupport() {
    }

    /**
     * Starts the host from the global {@code --plugins-dir} option, the environment, the
     * distribution's home or the source tree, in that order.
     */
    static PluginHost start(SpikeforgeCli root, PrintWriter err) {
        PluginHost host = PluginHost.start(PluginHostOptions.resolve(root.pluginsDir).build());
        for (PluginProblem problem : host.problems()) {
            err.println("warning: skipped plugin " + problem);
        }
        err.flush();
        return host;
    }
}
