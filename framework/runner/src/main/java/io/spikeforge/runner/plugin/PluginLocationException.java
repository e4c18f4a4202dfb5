package io.spikeforge.runner.plugin;

/** The plugins cannot be located: a named folder does not exist, or nothing says where they are. */
public class PluginLocationException extends PluginSetupException {
    private static final long serialVersionUID = 1L;

    public PluginLocationException(String message) {
        super(message);
    }
}
