package io.spikeforge.cli;

/** Exit codes of the {@code spikeforge} command. */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** An unexpected internal error (a bug: please report it with the stack trace from --verbose). */
    public static final int INTERNAL_ERROR = 1;
    /** The command line itself is wrong: unknown option, missing argument. */
    public static final int USAGE = 2;
    /** The experiment file or an override is invalid. */
    public static final int INVALID_EXPERIMENT = 3;
    /**
     * The plugins could not be set up: a missing folder, two jars or plugins claiming one id, or a jar
     * that could not be used in strict mode.
     */
    public static final int PLUGIN_ERROR = 4;
    /** {@code mlflow sync}: the MLflow tracking server cannot be reached; the spool keeps the records. */
    public static final int TRACKING_SERVER_UNREACHABLE = 5;
    /** {@code mlflow sync}: the server refused some records (a param it has with another value). */
    public static final int SYNC_INCOMPLETE = 6;
    /**
     * {@code run} could not start (data set or teacher weights missing) or failed on the way (for
     * example a diverging loss); the run folder's {@code status} file says why.
     */
    public static final int RUN_FAILED = 7;
    /** {@code run} was stopped (Ctrl-C) and kept what it had written: 128 + SIGINT, as shells report it. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
