package io.spikeforge.runner.plugin;

/**
 * The plugins cannot be set up as asked: a folder is missing, two jars or plugins claim one id, or
 * strict mode met a plugin that could not be used. Nothing is loaded when it is thrown.
 */
public class PluginSetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PluginSetupException(String message) {
        super(message);
    }

    public PluginSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
