package io.spikeforge.runner.pipeline;

/**
 * The experiment's models and batches need more memory than this process may take: raised before
 * anything large is allocated, with a message that gives the estimate of each model, the keys
 * that size it, and the limit.
 */
public final class ExperimentTooLargeException extends RunSetupException {
    public ExperimentTooLargeException(String message) {
        super(message);
    }
}
