package io.spikeforge.runner.pipeline;

import java.util.Locale;

/** Where a run stands, as its folder's {@code status} file says. */
public enum RunStatus {
    /** Training is under way (or the process died without a chance to say otherwise). */
    RUNNING,
    /** Every phase completed. */
    FINISHED,
    /** A stop request (Ctrl-C) ended it between two steps; what was written is kept. */
    INTERRUPTED,
    /** An error ended it; the status file's following lines hold the message. */
    FAILED;

    /** The word in the status file: {@code running}, {@code finished}, ... */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
