package io.spikeforge.runner.report;

/** A report that cannot be made as asked: not a sweep folder, an unknown baseline, a file Spikeforge did not write. */
public final class ReportException extends Exception {
    private static final long serialVersionUID = 1L;

    public ReportException(String message) {
        super(message);
    }
}
