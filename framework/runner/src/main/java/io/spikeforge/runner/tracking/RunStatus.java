package io.spikeforge.runner.tracking;

import java.util.Arrays;

/** How a run stands, with the numbers MLflow's file store writes into a run's {@code meta.yaml}. */
public enum RunStatus {
    /** Still training (or stopped without saying why: the process was killed). */
    RUNNING(1),
    /** Trained to the end. */
    FINISHED(3),
    /** Stopped by an error. */
    FAILED(4),
    /** Stopped by the user (Ctrl-C) or by the process shutting down. */
    KILLED(5);

    private final int fileStoreCode;

    RunStatus(int fileStoreCode) {
        this.fileStoreCode = fileStoreCode;
    }

    /** The integer of the {@code status} field in the file store's {@code meta.yaml}. */
    public int fileStoreCode() {
        return fileStoreCode;
    }

    /** The status of a file-store {@code status} integer. */
    public static RunStatus ofFileStoreCode(int code) {
        return Arrays.stream(values()).filter(s -> s.fileStoreCode == code).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown MLflow run status " + code));
    }
}
