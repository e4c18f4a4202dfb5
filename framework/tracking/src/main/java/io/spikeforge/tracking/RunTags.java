package io.spikeforge.tracking;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The tag names runs carry: MLflow's own (mlflow/utils/mlflow_tags.py) and Spikeforge's. */
public final class RunTags {
    /** The run's name; the file store writes it with every run. */
    public static final String RUN_NAME = "mlflow.runName";
    /** Makes a run the child of the run with this id (sweeps). */
    public static final String PARENT_RUN_ID = "mlflow.parentRunId";
    /** The run's description, Markdown, shown in the UI. */
    public static final String NOTE = "mlflow.note.content";
    /** Who ran it; every run gets it from {@link RunTracker#startRun}. */
    public static final String USER = "mlflow.user";
    public static final String SOURCE_NAME = "mlflow.source.name";
    public static final String SOURCE_TYPE = "mlflow.source.type";
    public static final String GIT_COMMIT = "mlflow.source.git.commit";
    public static final String GIT_BRANCH = "mlflow.source.git.branch";
    /** The stack trace of the error that failed the run. */
    public static final String ERROR = "spikeforge.error";
    public static final String SPIKEFORGE_VERSION = "spikeforge.version";
    public static final String ND4J_BACKEND = "spikeforge.nd4j_backend";
    public static final String JAVA_VERSION = "spikeforge.java_version";
    public static final String HOST = "spikeforge.host";
    /**
     * On a server's copy of a spooled run: the run's id in the spool, which lets a sync find the
     * run again when the server created it but its answer was lost.
     */
    public static final String SPOOL_RUN_ID = "spikeforge.spool_run_id";
    /** The run folder a pipeline run writes. */
    public static final String RUN_FOLDER = "spikeforge.run_folder";
    /** Where a resumed run continues, such as {@code student after epoch 2 of 3}. */
    public static final String RESUMED_AT = "spikeforge.resumed_at";
    /**
     * The id of the run a resumed run continues, in the store the run is recorded in: a sync
     * replaces a spool's id with the id of the server's copy, as it does for {@link #PARENT_RUN_ID}.
     */
    public static final String RESUMED_FROM = "spikeforge.resumed_from";

    private RunTags() {
    }

    /**
     * The tags that say where and how a run ran: source (the experiment file), its git commit and
     * branch when the file is in a git repository, host, Java version, ND4J backend and Spikeforge
     * version.
     *
     * @param experimentFile the experiment's YAML file, when it came from one
     * @param spikeforgeVersion the version of the program that ran it
     * @param nd4jBackend the numerical backend it ran on
     */
    public static Map<String, String> context(Optional<Path> experimentFile, String spikeforgeVersion,
                                              String nd4jBackend) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(SOURCE_TYPE, "LOCAL");
        tags.put(SOURCE_NAME, experimentFile.map(f -> f.toAbsolutePath().normalize().toString()).orElse("spikeforge"));
        experimentFile.flatMap(GitHead::of).ifPresent(head -> {
            tags.put(GIT_COMMIT, head.commit());
            head.branch().ifPresent(branch -> tags.put(GIT_BRANCH, branch));
        });
        tags.put(HOST, hostName());
        tags.put(JAVA_VERSION, Runtime.version().toString());
        tags.put(ND4J_BACKEND, nd4jBackend);
        tags.put(SPIKEFORGE_VERSION, spikeforgeVersion);
        return tags;
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
