package io.spikeforge.runner.sweep;

import io.spikeforge.common.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A sweep's folder, the one place its layout is defined:
 * <pre>
 * SWEEP_DIR/
 *   sweep.yaml       the resolved sweep: base experiment, arms with their overrides, launcher settings
 *   index.tsv        one line per arm: index, name, state (last snapshot), run folder, overrides
 *   arms/NNN-name/   each arm's ordinary run folder (resumable, plotted, tracked)
 *   shared/          models trained once and reused by the arms that resolve to the same one
 *   &lt;launcher&gt;/      what a launcher keeps (job scripts, job ids, logs), such as slurm/
 *   mlflow_run_ids   the sweep's MLflow parent run(s), where the arms find their parent ({@link SweepTracking})
 *   sweep.lock       locked while a process settles the sweep's parent run ({@link #locked})
 *   report.md, report.csv, report-*.png   written by {@code spikeforge report}
 * </pre>
 * Spikeforge writes only inside this folder and only the files it names.
 */
public final class SweepFolder {
    /** The resolved sweep. */
    public static final String SWEEP_FILE = "sweep.yaml";
    /** The index of arms and their states. */
    public static final String INDEX_FILE = "index.tsv";
    /** The folder holding the arms' run folders. */
    public static final String ARMS = "arms";
    /** The folder holding models shared between arms. */
    public static final String SHARED = "shared";
    /** The report's table with its plots embedded, written by {@code spikeforge report}. */
    public static final String REPORT_MARKDOWN = "report.md";
    /** The report's table as CSV. */
    public static final String REPORT_CSV = "report.csv";

    /** The lock file of {@link #locked}. */
    public static final String LOCK_FILE = "sweep.lock";

    private static final String INDEX_HEADER = "arm\tname\tstate\tfolder\toverrides";

    private final Path root;

    private SweepFolder(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /** The sweep folder at {@code root} (which need not exist yet). */
    public static SweepFolder at(Path root) {
        return new SweepFolder(root);
    }

    /** Why {@code path} is not an existing sweep folder (no such folder, or no {@code sweep.yaml}), or empty. */
    public static Optional<String> whyNotASweepFolder(Path path) {
        if (!Files.isDirectory(path)) {
            return Optional.of("no such folder");
        }
        if (!Files.isRegularFile(path.resolve(SWEEP_FILE))) {
            return Optional.of("not a sweep folder: it has no " + SWEEP_FILE);
        }
        return Optional.empty();
    }

    public Path root() {
        return root;
    }

    public Path sweepFile() {
        return root.resolve(SWEEP_FILE);
    }

    public Path indexFile() {
        return root.resolve(INDEX_FILE);
    }

    /** The run folder of an arm, {@code arms/NNN-name}. */
    public Path armFolder(Arm arm) {
        return root.resolve(ARMS).resolve(arm.folderName());
    }

    public Path sharedFolder() {
        return root.resolve(SHARED);
    }

    /** Where a launcher keeps its files, such as {@code slurm/}. */
    public Path launcherFolder(String launcher) {
        return root.resolve(launcher);
    }

    /** The report's Markdown file. */
    public Path reportMarkdown() {
        return root.resolve(REPORT_MARKDOWN);
    }

    /** The report's CSV file. */
    public Path reportCsv() {
        return root.resolve(REPORT_CSV);
    }

    /** A plot of the report, {@code report-<name>.png}, such as {@code report-accuracy.png}. */
    public Path reportPlot(String name) {
        return root.resolve("report-" + name + ".png");
    }

    /** Work done under the sweep folder's lock. */
    @FunctionalInterface
    public interface LockedWork<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code work} holding the sweep folder's lock ({@value #LOCK_FILE}, a file lock: processes
     * on every node that shares the folder wait for each other), so that the arms that end at the
     * same time, and {@code sweep status}, see and settle the sweep one after another.
     */
    public <T> T locked(LockedWork<T> work) throws IOException {
        Files.createDirectories(root);
        try (FileChannel channel = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            return work.run();
        }
    }

    /** One line of the index: an arm and its last known state. */
    public record IndexRow(Arm arm, ArmState state) {
        public IndexRow {
            Objects.requireNonNull(arm, "arm");
            Objects.requireNonNull(state, "state");
        }
    }

    /** Writes the index, atomically: a reader sees the old one or the new one. */
    public void writeIndex(List<IndexRow> rows) throws IOException {
        StringBuilder text = new StringBuilder(INDEX_HEADER).append('\n');
        for (IndexRow row : rows) {
            Arm arm = row.arm();
            List<String> cells = new ArrayList<>(List.of(Integer.toString(arm.index()), arm.name(), row.state().word(),
                    root.relativize(armFolder(arm)).toString()));
            cells.addAll(arm.overrideArguments());
            for (String cell : cells) {
                if (cell.indexOf('\t') >= 0 || cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException("arm " + arm.index() + ": a name or override cannot hold a tab "
                            + "or line break, got '" + cell + "'");
                }
            }
            text.append(String.join("\t", cells)).append('\n');
        }
        Files.createDirectories(root);
        AtomicFiles.write(indexFile(), text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads the index.
     *
     * @throws IOException if it cannot be read, or a line is not an index line (the message names
     *     the file, the line and what was expected)
     */
    public List<IndexRow> readIndex() throws IOException {
        List<String> lines = Files.readAllLines(indexFile(), StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(INDEX_HEADER)) {
            throw new IOException(indexFile() + ":1: expected the header '" + INDEX_HEADER.replace("\t", "\\t") + "'");
        }
        List<IndexRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) {
                continue;
            }
            String where = indexFile() + ":" + (i + 1) + ": ";
            String[] cells = line.split("\t", -1);
            if (cells.length < 4) {
                throw new IOException(where + "expected at least 4 tab-separated cells (arm, name, state, folder), got "
                        + cells.length);
            }
            int index;
            try {
                index = Integer.parseInt(cells[0]);
            } catch (NumberFormatException e) {
                throw new IOException(where + "expected the arm's index (0, 1, ...), got '" + cells[0] + "'", e);
            }
            if (index != rows.size()) {
                throw new IOException(where + "expected arm " + rows.size() + ", got " + index);
            }
            ArmState state = ArmState.ofWord(cells[2]).orElseThrow(() -> new IOException(where + "expected a state ("
                    + String.join(", ", java.util.Arrays.stream(ArmState.values()).map(ArmState::word).toList())
                    + "), got '" + cells[2] + "'"));
            Map<String, String> overrides = new LinkedHashMap<>();
            for (int c = 4; c < cells.length; c++) {
                int equals = cells[c].indexOf('=');
                if (equals <= 0) {
                    throw new IOException(where + "expected an override key=value, got '" + cells[c] + "'");
                }
                overrides.put(cells[c].substring(0, equals), cells[c].substring(equals + 1));
            }
            Arm arm;
            try {
                arm = new Arm(index, cells[1], overrides);
            } catch (IllegalArgumentException e) {
                throw new IOException(where + e.getMessage(), e);
            }
            if (!root.relativize(armFolder(arm)).toString().equals(cells[3])) {
                throw new IOException(where + "expected the folder " + root.relativize(armFolder(arm)) + " for arm "
                        + index + " '" + arm.name() + "', got '" + cells[3] + "'");
            }
            rows.add(new IndexRow(arm, state));
        }
        return rows;
    }
}
