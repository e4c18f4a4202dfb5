package io.spikeforge.runner.pipeline;

/**
 * The experiment cannot start: its data set or teacher weights are missing or unreadable. Raised
 * before a run folder is created, with a message that names the file or folder, the experiment key
 * that points at it, and what to do.
 */
public class RunSetupException extends Exception {
    public RunSetupException(String message) {
        super(message);
    }

    public RunSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
