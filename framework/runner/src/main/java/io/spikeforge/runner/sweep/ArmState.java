package io.spikeforge.runner.sweep;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where one arm of a sweep stands. The truth is the arm's run folder ({@code status}) together with
 * what the launcher knows (a job waiting in a cluster's queue, a cancelled job); the sweep's index
 * file holds the last snapshot of it.
 */
public enum ArmState {
    /** Not started, not submitted. */
    PENDING,
    /** Submitted to a cluster, waiting for resources. */
    QUEUED,
    /** Its run is in progress. */
    RUNNING,
    /** Its run finished. */
    FINISHED,
    /** Its run failed (an error, or the process or job died without writing a final status). */
    FAILED,
    /** Its run was stopped (Ctrl-C, a stop request); it resumes from its checkpoints. */
    INTERRUPTED,
    /** Its job was cancelled on the cluster (scancel, a time limit) before the run finished. */
    CANCELLED,
    /**
     * Meant for a cluster but never submitted: {@code sbatch} refused the submission. It runs
     * once resubmitted.
     */
    UNSUBMITTED;

    /** The lower-case word used in files and on the command line, such as {@code finished}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether running the arm again has anything to do: every state but {@link #FINISHED}. */
    public boolean needsRun() {
        return this != FINISHED;
    }

    /**
     * Whether the arm stands unfinished with nothing under way to finish it, and is reported as
     * such: it failed, was interrupted or cancelled, or was never submitted. Running it again
     * ({@code --resume}, {@code resubmit --failed}) picks it up.
     */
    public boolean endedUnfinished() {
        return this == FAILED || this == INTERRUPTED || this == CANCELLED || this == UNSUBMITTED;
    }

    /** The state a {@link #word()} names, if any. */
    public static Optional<ArmState> ofWord(String word) {
        return Arrays.stream(values()).filter(state -> state.word().equals(word)).findFirst();
    }
}
