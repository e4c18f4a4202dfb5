package io.spikeforge.tracking;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The MLflow runs that worked on a pipeline's run folder, in its file {@value #FILE_NAME}: one line
 * per fact, appended, of tab-separated {@code label=value} fields.
 *
 * <pre>
 * mlflow_run_id=&lt;id&gt;  store=&lt;local store&gt;                     a run recorded in a local store (./mlruns)
 * spool_run_id=&lt;id&gt;   spool=&lt;spool&gt;   server=&lt;uri&gt;         a run recorded in the spool, on its way to a server
 * server_run_id=&lt;id&gt;  server=&lt;uri&gt;     spool_run_id=&lt;id&gt;    the server's copy of that run, once it has one
 * </pre>
 *
 * The spool's ids exist only in the spool: the server knows the run by its {@code server_run_id},
 * written when the live sender, or a sync, creates the run there. A line holding only an id
 * comes from an older Spikeforge: an {@code mlflow_run_id} of an unknown store.
 */
public final class RunIdsFile {
    /** The file in the run folder. */
    public static final String FILE_NAME = "mlflow_run_ids";

    private static final String MLFLOW_RUN_ID = "mlflow_run_id";
    private static final String STORE = "store";
    private static final String SPOOL_RUN_ID = "spool_run_id";
    private static final String SPOOL = "spool";
    private static final String SERVER = "server";
    private static final String SERVER_RUN_ID = "server_run_id";

    private RunIdsFile() {
    }

    /**
     * One MLflow run of the folder.
     *
     * @param runId its id in the store it was recorded in
     * @param store that store (the spool when there is a server); empty for a line of an older Spikeforge
     * @param server the server the run goes to, if any
     * @param serverRunId the id of the server's copy, once the server has one
     */
    public record Entry(String runId, Optional<Path> store, Optional<String> server, Optional<String> serverRunId) {
        /** The id by which the run's final home knows it: the server's, else the store's. */
        public String finalRunId() {
            return serverRunId.orElse(runId);
        }
    }

    /** The runs, oldest first; none when there is no file. */
    public static List<Entry> read(Path runFolder) throws IOException {
        Path file = runFolder.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Map<String, String> fields = fields(line);
            if (fields.containsKey(SERVER_RUN_ID) && fields.containsKey(SPOOL_RUN_ID)) {
                Entry spooled = entries.get(fields.get(SPOOL_RUN_ID));
                if (spooled != null && spooled.serverRunId().isEmpty()) {
                    entries.put(spooled.runId(), new Entry(spooled.runId(), spooled.store(),
                            Optional.ofNullable(fields.get(SERVER)), Optional.of(fields.get(SERVER_RUN_ID))));
                }
            } else if (fields.containsKey(SPOOL_RUN_ID)) {
                String id = fields.get(SPOOL_RUN_ID);
                entries.put(id, new Entry(id, Optional.ofNullable(fields.get(SPOOL)).map(Path::of),
                        Optional.ofNullable(fields.get(SERVER)), Optional.empty()));
            } else if (fields.containsKey(MLFLOW_RUN_ID)) {
                String id = fields.get(MLFLOW_RUN_ID);
                entries.put(id, new Entry(id, Optional.ofNullable(fields.get(STORE)).map(Path::of), Optional.empty(),
                        Optional.empty()));
            }
        }
        return new ArrayList<>(entries.values());
    }

    /** Records a new run of the folder: in a local store, or with {@code server}, in the spool {@code store}. */
    static void recordStart(Path runFolder, String runId, Path store, Optional<String> server) throws IOException {
        append(runFolder, server.isPresent()
                ? line(SPOOL_RUN_ID, runId, SPOOL, store.toString(), SERVER, server.get())
                : line(MLFLOW_RUN_ID, runId, STORE, store.toString()));
    }

    /**
     * Records the server's copy of a spooled run, in the folder the run's {@value RunTags#RUN_FOLDER}
     * tag names, when that folder's file lists the spooled run (so nothing is written anywhere else).
     */
    static void recordServerRun(Path runFolder, String spoolRunId, String server, String serverRunId)
            throws IOException {
        boolean listed = read(runFolder).stream().anyMatch(entry -> entry.runId().equals(spoolRunId));
        if (listed) {
            append(runFolder, line(SERVER_RUN_ID, serverRunId, SERVER, server, SPOOL_RUN_ID, spoolRunId));
        }
    }

    private static String line(String... labelsAndValues) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < labelsAndValues.length; i += 2) {
            line.append(i == 0 ? "" : "\t").append(labelsAndValues[i]).append('=').append(labelsAndValues[i + 1]);
        }
        return line.append('\n').toString();
    }

    private static void append(Path runFolder, String line) throws IOException {
        Files.writeString(runFolder.resolve(FILE_NAME), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return fields;
        }
        if (!trimmed.contains("=")) {
            fields.put(MLFLOW_RUN_ID, trimmed);
            return fields;
        }
        for (String field : trimmed.split("\t")) {
            int equals = field.indexOf('=');
            if (equals > 0) {
                fields.put(field.substring(0, equals), field.substring(equals + 1));
            }
        }
        return fields;
    }
}
