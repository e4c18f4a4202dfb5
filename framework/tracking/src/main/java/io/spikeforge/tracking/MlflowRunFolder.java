package io.spikeforge.tracking;

import io.spikeforge.common.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's folder in MLflow's file store (not a Spikeforge run folder, which the runner's
 * {@code RunFolder} is): {@code meta.yaml}, {@code params/<key>} and
 * {@code tags/<key>} holding the raw value, {@code metrics/<key>} with one
 * {@code "<ts> <value> <step>"} line per point, and {@code artifacts/}. Keys with slashes are
 * nested folders, as in MLflow. Metadata, params, tags and artifacts are replaced atomically;
 * metric files are only appended to, whole lines at a time.
 */
final class MlflowRunFolder {
    static final String METRICS = "metrics";
    static final String PARAMS = "params";
    static final String TAGS = "tags";
    static final String ARTIFACTS = "artifacts";

    private static final Logger LOG = LoggerFactory.getLogger(MlflowRunFolder.class);

    private final Path dir;

    MlflowRunFolder(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    String runId() {
        return dir.getFileName().toString();
    }

    RunMeta meta() throws IOException {
        return RunMeta.fromYaml(MetaYaml.read(dir));
    }

    void writeMeta(RunMeta meta, boolean justCreated) throws IOException {
        MetaYaml.write(dir, meta.toYaml(justCreated));
    }

    /**
     * Writes a param; the same value again does nothing.
     *
     * @throws IllegalArgumentException if the param has another value already: MLflow params do not change
     */
    void logParam(String key, String value) throws IOException {
        Path file = dir.resolve(PARAMS).resolve(key);
        if (Files.exists(file)) {
            String current = Files.readString(file);
            if (!current.equals(value)) {
                throw new IllegalArgumentException("Changing param values is not allowed. Param with key='" + key
                        + "' was already logged with value='" + current + "' for run ID='" + runId()
                        + "'. Attempted logging new value '" + value + "'.");
            }
            return;
        }
        AtomicFiles.write(file, value.getBytes(StandardCharsets.UTF_8), dir);
    }

    void setTag(String key, String value) throws IOException {
        AtomicFiles.write(dir.resolve(TAGS).resolve(key), value.getBytes(StandardCharsets.UTF_8), dir);
    }

    /** Appends the points, each key's lines in one write, in the order given. */
    void appendMetrics(List<MetricPoint> points) throws IOException {
        Map<String, StringBuilder> linesByKey = new LinkedHashMap<>();
        for (MetricPoint point : points) {
            linesByKey.computeIfAbsent(point.key(), k -> new StringBuilder())
                    .append(point.fileStoreLine()).append('\n');
        }
        for (Map.Entry<String, StringBuilder> entry : linesByKey.entrySet()) {
            Path file = dir.resolve(METRICS).resolve(entry.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, entry.getValue(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    /**
     * Copies a file, or a folder with everything in it, to {@code artifacts/<artifactDir>/<name>};
     * every file appears whole or not at all.
     */
    void copyArtifact(Path source, String artifactDir) throws IOException {
        Path target = artifactsDir().resolve(artifactDir).resolve(source.getFileName().toString());
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    AtomicFiles.copy(file, target.resolve(source.relativize(file).toString()), dir);
                }
            }
        } else {
            AtomicFiles.copy(source, target, dir);
        }
    }

    Path artifactsDir() {
        return dir.resolve(ARTIFACTS);
    }

    Map<String, String> params() throws IOException {
        return readValues(PARAMS);
    }

    Map<String, String> tags() throws IOException {
        return readValues(TAGS);
    }

    /** The metric keys, sorted; nested ones as {@code a/b}. */
    List<String> metricKeys() throws IOException {
        return new ArrayList<>(relativeFiles(dir.resolve(METRICS)).keySet());
    }

    /** The artifact files relative to {@code artifacts/}, sorted, with {@code /} separators. */
    Map<String, Path> artifacts() throws IOException {
        return relativeFiles(artifactsDir());
    }

    /**
     * The complete lines of a metric from byte {@code offset} on; an incomplete last line (a
     * write under way, or a crash in the middle of one) is left for later.
     */
    MetricChunk readMetric(String key, long offset) throws IOException {
        Path file = dir.resolve(METRICS).resolve(key);
        if (!Files.exists(file) || Files.size(file) <= offset) {
            return new MetricChunk(List.of(), offset);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(offset);
            bytes = in.readAllBytes();
        }
        List<MetricChunk.Line> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            String text = new String(bytes, start, i - start, StandardCharsets.UTF_8);
            long end = offset + i + 1;
            if (!text.isBlank()) {
                try {
                    lines.add(new MetricChunk.Line(MetricPoint.parse(key, text), end));
                } catch (IllegalArgumentException e) {
                    LOG.warn("Skipping a line of {}: {}", file, e.getMessage());
                }
            }
            start = i + 1;
        }
        return new MetricChunk(lines, offset + start);
    }

    private Map<String, String> readValues(String folder) throws IOException {
        Map<String, String> values = new TreeMap<>();
        for (Map.Entry<String, Path> entry : relativeFiles(dir.resolve(folder)).entrySet()) {
            values.put(entry.getKey(), Files.readString(entry.getValue()));
        }
        return values;
    }

    private static Map<String, Path> relativeFiles(Path root) throws IOException {
        Map<String, Path> files = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(file -> {
                StringBuilder relative = new StringBuilder();
                for (Path part : root.relativize(file)) {
                    relative.append(relative.length() == 0 ? "" : "/").append(part);
                }
                files.put(relative.toString(), file);
            });
        }
        return files;
    }

    /**
     * Metric points read from a file.
     *
     * @param lines the points, each with the byte offset just past its line
     * @param endOffset the offset past the last complete line: where the next read starts
     */
    record MetricChunk(List<Line> lines, long endOffset) {
        record Line(MetricPoint point, long endOffset) {
        }
    }
}
