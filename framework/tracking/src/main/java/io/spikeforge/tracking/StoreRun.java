package io.spikeforge.tracking;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run recorded in a {@link FileStore}: {@code ./mlruns}, or the spool that a sender copies to a
 * server. Metric points wait in a buffer until {@value #BUFFER_LIMIT} of them, {@link #flush()},
 * the tracker's timer or {@link #end} write them.
 */
final class StoreRun implements TrackedRun {
    static final int BUFFER_LIMIT = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(StoreRun.class);

    private final MlflowRunFolder folder;
    private final Clock clock;
    private final Runnable onChange;
    private final Object lock = new Object();
    private final List<MetricPoint> buffer = new ArrayList<>();
    private final Set<String> checkedMetricKeys = new HashSet<>();
    private RunMeta meta;
    private boolean hasNote;
    private boolean ended;

    /**
     * @param onChange told after records were written by {@link #flush()} or {@link #end}: the
     *     tracker wakes its sender
     */
    StoreRun(MlflowRunFolder folder, RunMeta meta, Clock clock, Runnable onChange) {
        this.folder = folder;
        this.meta = meta;
        this.clock = clock;
        this.onChange = onChange;
    }

    @Override
    public String runId() {
        return meta.runId();
    }

    MlflowRunFolder folder() {
        return folder;
    }

    boolean isEnded() {
        synchronized (lock) {
            return ended;
        }
    }

    @Override
    public void logParams(Map<String, String> params) {
        params.forEach(MlflowNames::checkParam);
        synchronized (lock) {
            checkOpen();
            try {
                for (Map.Entry<String, String> param : params.entrySet()) {
                    folder.logParam(param.getKey(), param.getValue());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write params of run " + runId(), e);
            }
        }
    }

    @Override
    public void logMetric(String key, double value, long step) {
        synchronized (lock) {
            checkOpen();
            if (!checkedMetricKeys.contains(key)) {
                MlflowNames.checkKey("metric", key);
                checkedMetricKeys.add(key);
            }
            buffer.add(new MetricPoint(key, value, clock.millis(), step));
            if (buffer.size() >= BUFFER_LIMIT) {
                writeBufferLocked();
            }
        }
    }

    @Override
    public void setTags(Map<String, String> tags) {
        tags.forEach(MlflowNames::checkTag);
        synchronized (lock) {
            checkOpen();
            writeTags(tags);
            hasNote |= tags.containsKey(RunTags.NOTE);
        }
    }

    @Override
    public void logArtifact(Path file, String artifactDir) {
        checkArtifactDir(artifactDir);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no artifact file " + file);
        }
        String name = file.getFileName().toString();
        if (name.contains("\t") || name.contains("\n")) {
            throw new IllegalArgumentException("artifact names may not contain tabs or newlines: '" + name + "'");
        }
        synchronized (lock) {
            checkOpen();
            try {
                folder.copyArtifact(file, artifactDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy artifact " + file + " into run " + runId(), e);
            }
        }
    }

    @Override
    public void flush() {
        writeBuffered();
        onChange.run();
    }

    /** Writes the buffered points, without waking the sender: the tracker's timer calls this. */
    void writeBuffered() {
        synchronized (lock) {
            writeBufferLocked();
        }
    }

    @Override
    public void end(RunStatus status, Optional<Throwable> error) {
        if (status == RunStatus.RUNNING) {
            throw new IllegalArgumentException("a run ends FINISHED, FAILED or INTERRUPTED, not RUNNING");
        }
        synchronized (lock) {
            if (ended) {
                return;
            }
            ended = true;
            // what cannot be written now is lost, but must not keep the run from getting its status
            try {
                writeBufferLocked();
            } catch (UncheckedIOException e) {
                LOG.warn("{} metric point(s) of run {} are lost: {}", buffer.size(), runId(), e.getCause().toString());
            }
            try {
                error.ifPresent(e -> {
                    writeTags(Map.of(RunTags.ERROR, MlflowNames.truncateTagValue(stackTrace(e))));
                    if (!hasNote) {
                        writeTags(Map.of(RunTags.NOTE,
                                MlflowNames.truncateTagValue("**" + status.mlflowName() + ":** " + e)));
                    }
                });
            } catch (UncheckedIOException e) {
                LOG.warn("The error of run {} could not be recorded: {}", runId(), e.getCause().toString());
            }
            meta = meta.ended(status, clock.millis());
            try {
                folder.writeMeta(meta, false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the end of run " + runId(), e);
            }
        }
        onChange.run();
    }

    @Override
    public void close() {
        end(RunStatus.FAILED, Optional.empty());
    }

    private void writeBufferLocked() {
        if (buffer.isEmpty()) {
            return;
        }
        try {
            folder.appendMetrics(buffer);
            buffer.clear();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics of run " + runId(), e);
        }
    }

    private void writeTags(Map<String, String> tags) {
        try {
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                folder.setTag(tag.getKey(), tag.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tags of run " + runId(), e);
        }
    }

    private void checkOpen() {
        if (ended) {
            throw new IllegalStateException("run " + runId() + " has ended");
        }
    }

    private static void checkArtifactDir(String artifactDir) {
        if (artifactDir.isEmpty()) {
            return;
        }
        for (String segment : artifactDir.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                    || segment.contains("\\") || segment.contains("\t") || segment.contains("\n")) {
                throw new IllegalArgumentException("an artifact folder is a relative path like 'plots/loss' "
                        + "(no empty, '.' or '..' parts, tabs or newlines), not '" + artifactDir + "'");
            }
        }
    }

    private static String stackTrace(Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }
}
