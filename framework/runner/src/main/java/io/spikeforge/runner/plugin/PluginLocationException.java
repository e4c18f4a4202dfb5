package io.spikeforge.runner.plugin;

import io.spikeforge.common.IoErrors;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The plugins cannot be located: a named folder does not exist or cannot be read, or nothing says
 * where they are.
 */
public class PluginLocationException extends PluginSetupException {
    private static final long serialVersionUID = 1L;

    public PluginLocationException(String message) {
        super(message);
    }

    private PluginLocationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A plugins folder that exists but cannot be read, with the reason ({@code Permission denied}). */
    static PluginLocationException unreadable(Path directory, IOException cause) {
        return new PluginLocationException("cannot read plugins folder " + IoErrors.message(IoErrors.naming(directory,
                cause)), cause);
    }
}
