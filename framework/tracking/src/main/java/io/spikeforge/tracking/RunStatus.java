package io.spikeforge.tracking;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where a run stands: the one status of a run, written to the run folder's {@code status} file as
 * its {@linkplain #word() word}, and to MLflow by its {@linkplain #mlflowName() name} (REST) or
 * {@linkplain #fileStoreCode() code} (the file store's {@code meta.yaml}).
 */
public enum RunStatus {
    /** Still training (or the process died without a chance to say otherwise: it was killed). */
    RUNNING("RUNNING", 1),
    /** Every phase completed. */
    FINISHED("FINISHED", 3),
    /**
     * A stop request (Ctrl-C) or the process shutting down ended it between two steps; what was
     * written is kept. MLflow calls this {@code KILLED}.
     */
    INTERRUPTED("KILLED", 5),
    /** An error ended it; a status file's following lines hold the message. */
    FAILED("FAILED", 4);

    private final String mlflowName;
    private final int fileStoreCode;

    RunStatus(String mlflowName, int fileStoreCode) {
        this.mlflowName = mlflowName;
        this.fileStoreCode = fileStoreCode;
    }

    /** The word of a run folder's {@code status} file: {@code running}, {@code finished}, ... */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** MLflow's name of the status ({@code RunStatus} of its REST API): {@code KILLED} for {@link #INTERRUPTED}. */
    public String mlflowName() {
        return mlflowName;
    }

    /** The integer of the {@code status} field in the file store's {@code meta.yaml}. */
    public int fileStoreCode() {
        return fileStoreCode;
    }

    /**
     * The status of a status file's word.
     *
     * @throws IllegalArgumentException for a word that is none of them
     */
    public static RunStatus ofWord(String word) {
        return Arrays.stream(values()).filter(s -> s.word().equals(word)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown run status '" + word + "'"));
    }

    /**
     * The status of MLflow's name for it.
     *
     * @throws IllegalArgumentException for a name that is none of them (MLflow's {@code SCHEDULED})
     */
    public static RunStatus ofMlflowName(String name) {
        return Arrays.stream(values()).filter(s -> s.mlflowName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown MLflow run status " + name));
    }

    /** The status of a file-store {@code status} integer. */
    public static RunStatus ofFileStoreCode(int code) {
        return Arrays.stream(values()).filter(s -> s.fileStoreCode == code).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown MLflow run status " + code));
    }
}
