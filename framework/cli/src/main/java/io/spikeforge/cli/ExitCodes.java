package io.spikeforge.cli;

import io.spikeforge.tracking.TrackingOutcome;

/**
 * Exit codes of the {@code spikeforge} command. The MLflow codes (5, 6, 8 to 11) are those of
 * {@code mlflow sync} and, for a run that finished, of {@code run}: each outcome of sending
 * records has its own (see {@link #of(TrackingOutcome)}); when several apply, the most serious
 * one's.
 */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /**
     * Any other failure: a file outside a run that cannot be read or written (a full disk under
     * {@code data synth}; the message names the file and the reason), or an internal error (a bug:
     * please report it with the stack trace from --verbose).
     */
    public static final int INTERNAL_ERROR = 1;
    /** The command line itself is wrong: unknown option, missing argument. */
    public static final int USAGE = 2;
    /** The experiment file or an override is invalid. */
    public static final int INVALID_EXPERIMENT = 3;
    /**
     * The plugins could not be set up: a missing or unreadable folder, two jars or plugins claiming
     * one id, or a jar that could not be used in strict mode.
     */
    public static final int PLUGIN_ERROR = 4;
    /** The MLflow tracking server could not be reached, or did not answer in time; the spool keeps the records. */
    public static final int TRACKING_SERVER_UNREACHABLE = 5;
    /** The MLflow server refused records (a param it has with another value, credentials); the spool keeps them. */
    public static final int TRACKING_SERVER_REFUSED = 6;
    /**
     * {@code run} could not start (data set or teacher weights missing) or failed on the way (for
     * example a diverging loss); the run folder's {@code status} file says why.
     */
    public static final int RUN_FAILED = 7;
    /** {@code mlflow sync}: runs open in a running Spikeforge process were left to it; everything else was sent. */
    public static final int SYNC_RUNS_IN_PROGRESS = 8;
    /**
     * {@code mlflow sync}: runs were sent to another MLflow server before and were not sent to this
     * one ({@code --another-server} sends a copy).
     */
    public static final int SYNC_OTHER_SERVER = 9;
    /**
     * Everything but artifact files reached the MLflow server, the end status included: the server
     * does not take them (its artifact root, or {@code --no-serve-artifacts}); the spool keeps them.
     */
    public static final int ARTIFACTS_NOT_SENT = 10;
    /**
     * {@code run} finished, but records could not be written to the MLflow store or spool (a full
     * disk): the run folder keeps the files, and {@code mlflow log-artifacts} adds them later.
     */
    public static final int TRACKING_STORE_INCOMPLETE = 11;
    /** {@code run} was stopped (Ctrl-C) and kept what it had written: 128 + SIGINT, as shells report it. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }

    /** The exit code of a tracking outcome. */
    public static int of(TrackingOutcome outcome) {
        return switch (outcome) {
            case DELIVERED -> OK;
            case IN_PROGRESS -> SYNC_RUNS_IN_PROGRESS;
            case ARTIFACTS_NOT_SENT -> ARTIFACTS_NOT_SENT;
            case OTHER_SERVER -> SYNC_OTHER_SERVER;
            case REFUSED -> TRACKING_SERVER_REFUSED;
            case UNREACHABLE -> TRACKING_SERVER_UNREACHABLE;
            case STORE_INCOMPLETE -> TRACKING_STORE_INCOMPLETE;
        };
    }
}
