package io.spikeforge.tracking;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a tracking server has confirmed of a spooled run, kept next to the run's files as
 * {@code spikeforge-sync.tsv} (MLflow ignores it); a run sent to more than one server on request
 * has a ledger per server, {@code spikeforge-sync-2.tsv} and so on. One tab-separated line per confirmation,
 * appended whole; keys cannot hold tabs or newlines (MLflow's key rules), so lines stay
 * unambiguous, and a line cut short by a crash (or a worker stopped mid-write) is ignored, and the
 * next append starts on a line of its own: that only means sending something again that the
 * sync's checks then skip.
 *
 * <pre>
 * server   &lt;uri&gt; &lt;experiment id&gt; &lt;run id&gt; &lt;artifact uri&gt;
 * param    &lt;key&gt;
 * tag      &lt;key&gt; &lt;SHA-256 of the value&gt;
 * metric   &lt;key&gt; &lt;byte offset in metrics/&lt;key&gt; up to which every point is on the server&gt;
 * artifact &lt;path&gt; &lt;size&gt;:&lt;last-modified millis&gt;
 * status   &lt;FINISHED|FAILED|KILLED&gt;
 * </pre>
 */
final class SyncLedger {
    static final String FILE_NAME = "spikeforge-sync.tsv";
    /** The ledger of the n-th server (n from 2) a run is sent to. */
    private static final String NTH_FILE_NAME = "spikeforge-sync-%d.tsv";
    private static final Set<String> ENDED = Set.of("FINISHED", "FAILED", "KILLED");

    private final Path file;
    private ServerRun server;
    private final Set<String> params = new HashSet<>();
    private final Map<String, String> tagDigests = new HashMap<>();
    private final Map<String, Long> metricOffsets = new HashMap<>();
    private final Map<String, String> artifacts = new HashMap<>();
    private RunStatus status;
    /** Whether the file ends in a line cut short, which the next append must not continue. */
    private boolean torn;

    /**
     * The run as the server knows it.
     *
     * @param trackingUri the server ({@link ServerConnection#name()})
     * @param experimentId the server's id of the run's experiment
     * @param runId the server's id of the run
     * @param artifactUri the server's artifact URI of the run
     */
    record ServerRun(String trackingUri, String experimentId, String runId, String artifactUri) {
    }

    private SyncLedger(Path file) {
        this.file = file;
    }

    /** The ledgers of the run in {@code runDir}, one per server, in the order the servers came. */
    static List<SyncLedger> loadAll(Path runDir) throws IOException {
        List<SyncLedger> ledgers = new ArrayList<>();
        ledgers.add(read(runDir.resolve(FILE_NAME)));
        for (int n = 2; Files.exists(runDir.resolve(String.format(NTH_FILE_NAME, n))); n++) {
            ledgers.add(read(runDir.resolve(String.format(NTH_FILE_NAME, n))));
        }
        return ledgers;
    }

    /** A new, empty ledger for one more server of the run in {@code runDir}; its file appears with its first line. */
    static SyncLedger next(Path runDir) throws IOException {
        int n = loadAll(runDir).size() + 1;
        return new SyncLedger(runDir.resolve(String.format(NTH_FILE_NAME, n)));
    }

    private static SyncLedger read(Path file) throws IOException {
        SyncLedger ledger = new SyncLedger(file);
        if (Files.exists(ledger.file)) {
            String text = Files.readString(ledger.file);
            ledger.torn = !text.isEmpty() && !text.endsWith("\n");
            int end = text.lastIndexOf('\n');
            for (String line : text.substring(0, end + 1).split("\n")) {
                ledger.apply(line.split("\t", -1));
            }
        }
        return ledger;
    }

    Optional<ServerRun> server() {
        return Optional.ofNullable(server);
    }

    boolean hasParam(String key) {
        return params.contains(key);
    }

    boolean hasTag(String key, String value) {
        return digest(value).equals(tagDigests.get(key));
    }

    long metricOffset(String key) {
        return metricOffsets.getOrDefault(key, 0L);
    }

    boolean hasArtifact(String path, String fingerprint) {
        return fingerprint.equals(artifacts.get(path));
    }

    Optional<RunStatus> status() {
        return Optional.ofNullable(status);
    }

    void recordServer(ServerRun run) throws IOException {
        append(List.of(String.join("\t", "server", run.trackingUri(), run.experimentId(), run.runId(),
                run.artifactUri())));
    }

    /** Records a batch of confirmations in one write. */
    void record(List<String> paramKeys, Map<String, String> tags, Map<String, Long> offsets) throws IOException {
        List<String> lines = new ArrayList<>();
        paramKeys.forEach(key -> lines.add("param\t" + key));
        tags.forEach((key, value) -> lines.add("tag\t" + key + "\t" + digest(value)));
        offsets.forEach((key, offset) -> lines.add("metric\t" + key + "\t" + offset));
        append(lines);
    }

    void recordArtifact(String path, String fingerprint) throws IOException {
        append(List.of("artifact\t" + path + "\t" + fingerprint));
    }

    void recordStatus(RunStatus confirmed) throws IOException {
        append(List.of("status\t" + confirmed.mlflowName()));
    }

    private void append(List<String> lines) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder(torn ? "\n" : "");
        lines.forEach(line -> text.append(line).append('\n'));
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        torn = false;
        for (String line : lines) {
            apply(line.split("\t", -1));
        }
    }

    private void apply(String[] fields) {
        switch (fields[0]) {
            case "server" -> {
                if (fields.length == 5) {
                    server = new ServerRun(fields[1], fields[2], fields[3], fields[4]);
                }
            }
            case "param" -> {
                if (fields.length == 2) {
                    params.add(fields[1]);
                }
            }
            case "tag" -> {
                if (fields.length == 3) {
                    tagDigests.put(fields[1], fields[2]);
                }
            }
            case "metric" -> {
                if (fields.length == 3 && fields[2].matches("\\d{1,18}")) {
                    metricOffsets.merge(fields[1], Long.parseLong(fields[2]), Math::max);
                }
            }
            case "artifact" -> {
                if (fields.length == 3) {
                    artifacts.put(fields[1], fields[2]);
                }
            }
            case "status" -> {
                if (fields.length == 2 && ENDED.contains(fields[1])) {
                    status = RunStatus.ofMlflowName(fields[1]);
                }
            }
            default -> {
                // a line this version does not know, or a blank one: nothing to apply
            }
        }
    }

    static String digest(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
