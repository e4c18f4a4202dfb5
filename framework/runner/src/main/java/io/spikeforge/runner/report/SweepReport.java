package io.spikeforge.runner.report;

import io.spikeforge.common.AtomicFiles;
import io.spikeforge.runner.sweep.Arm;
import io.spikeforge.runner.sweep.ArmState;
import io.spikeforge.runner.sweep.SweepFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The report of a sweep folder: every arm of its index read from its run folder (an arm that has
 * not finished is listed with its state and what it has so far), grouped over seeds or not, and
 * written as {@code report.csv}, {@code report.md} and {@code report-accuracy.png},
 * {@code report-loss.png} in the sweep folder, each atomically. Those files are Spikeforge's only
 * when the sweep's {@code report.md} starts with {@link #MARKER}: a report file found without it
 * is not overwritten.
 */
public final class SweepReport {
    /** The first line of every {@code report.md} Spikeforge writes. */
    public static final String MARKER = "<!-- written by spikeforge report: running it again rewrites this file -->";
    /** The overrides that only choose a seed: arms differing only in these are grouped. */
    static final Set<String> SEED_KEYS = Set.of("experiment.seed", "seed");
    static final String ACCURACY_PLOT = "accuracy";
    static final String LOSS_PLOT = "loss";

    private final SweepFolder sweep;
    private final ReportSettings settings;
    private final List<ReportRow> rows;

    private SweepReport(SweepFolder sweep, ReportSettings settings, List<ReportRow> rows) {
        this.sweep = sweep;
        this.settings = settings;
        this.rows = rows;
    }

    /**
     * Reads the sweep folder and its arms' run folders.
     *
     * @throws ReportException when {@code dir} is not a sweep folder or the convergence baseline
     *     names no row (the message says which rows there are)
     * @throws IOException when the index or a run folder's file cannot be read or is malformed
     */
    public static SweepReport build(Path dir, ReportSettings settings) throws IOException, ReportException {
        Optional<String> notASweep = SweepFolder.whyNotASweepFolder(dir);
        if (notASweep.isPresent()) {
            throw new ReportException(dir + ": " + notASweep.get());
        }
        SweepFolder sweep = SweepFolder.at(dir);
        if (!Files.isRegularFile(sweep.indexFile())) {
            throw new ReportException(dir + ": not a sweep folder: it has no " + SweepFolder.INDEX_FILE);
        }
        List<SweepFolder.IndexRow> index = sweep.readIndex();
        List<ArmResult> arms = new ArrayList<>();
        for (SweepFolder.IndexRow row : index) {
            arms.add(ArmResult.read(sweep, row, settings.model()));
        }
        List<ReportRow> rows = settings.groupBySeeds() ? grouped(arms) : perArm(arms);
        Optional<ReportRow> baseline = Optional.empty();
        if (settings.convergenceBaseline().isPresent()) {
            String name = settings.convergenceBaseline().get();
            baseline = rows.stream().filter(r -> r.label().equals(name)).findFirst();
            if (baseline.isEmpty() || !baseline.get().finalAccuracy().isKnown()) {
                throw new ReportException(dir + ": the convergence baseline '" + name + "' is "
                        + (baseline.isEmpty() ? "no row of the report" : "a row without a final accuracy yet")
                        + "; the rows are: " + rows.stream().map(r -> r.label() + " (" + r.state().word() + ")")
                        .collect(Collectors.joining(", ")));
            }
        }
        Optional<ReportRow> base = baseline;
        rows = rows.stream().map(r -> r.withEpochs(settings.targetAccuracy(), base)).toList();
        return new SweepReport(sweep, settings, rows);
    }

    private static List<ReportRow> perArm(List<ArmResult> arms) {
        return arms.stream().map(arm -> ReportRow.of(arm.arm().name(), arm.state(), List.of(arm),
                String.join(" ", arm.arm().overrideArguments()))).toList();
    }

    /** Finished arms grouped by their overrides other than the seed; each unfinished arm a row of its own. */
    private static List<ReportRow> grouped(List<ArmResult> arms) {
        // keyed by the overrides without the seed for a finished arm, by the arm itself for another
        Map<Object, List<ArmResult>> slots = new LinkedHashMap<>();
        for (ArmResult arm : arms) {
            Object key = arm.state() == ArmState.FINISHED ? withoutSeed(arm.arm()) : arm.arm();
            slots.computeIfAbsent(key, k -> new ArrayList<>()).add(arm);
        }
        List<ReportRow> rows = new ArrayList<>();
        for (List<ArmResult> members : slots.values()) {
            Arm first = members.get(0).arm();
            if (members.get(0).state() != ArmState.FINISHED || members.size() == 1) {
                rows.addAll(perArm(members));
            } else {
                rows.add(ReportRow.of(groupName(first), ArmState.FINISHED, members, withoutSeed(first).entrySet()
                        .stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "))));
            }
        }
        return rows;
    }

    private static Map<String, String> withoutSeed(Arm arm) {
        Map<String, String> key = new LinkedHashMap<>(arm.overrides());
        key.keySet().removeAll(SEED_KEYS);
        return key;
    }

    /** An arm's name without its seed part ({@code idsnn,seed=2} becomes {@code idsnn}). */
    static String groupName(Arm arm) {
        String name = List.of(arm.name().split(",")).stream()
                .filter(part -> SEED_KEYS.stream().noneMatch(seed -> part.startsWith(seed + "=")))
                .collect(Collectors.joining(","));
        if (!name.isEmpty()) {
            return name;
        }
        String overrides = withoutSeed(arm).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        return overrides.isEmpty() ? "base" : overrides;
    }

    /** The sweep folder. */
    public SweepFolder sweep() {
        return sweep;
    }

    /** The rows, in the order of the index's arms. */
    List<ReportRow> rows() {
        return rows;
    }

    /**
     * Key numbers of each row as MLflow metrics of the sweep's parent run: {@code <row>.final_accuracy},
     * {@code .best_accuracy} (means, percent), {@code .convergence_epoch}, {@code .convergence_ratio},
     * {@code .target_epoch} where known; a row's name with characters MLflow refuses in keys replaced by {@code _}.
     */
    public Map<String, Double> keyMetrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (ReportRow row : rows) {
            String prefix = row.label().replaceAll("[^A-Za-z0-9_.\\- ]", "_") + ".";
            if (row.finalAccuracy().isKnown()) {
                metrics.put(prefix + "final_accuracy", row.finalAccuracy().mean());
                metrics.put(prefix + "best_accuracy", row.bestAccuracy().mean());
            }
            row.targetEpoch().ifPresent(e -> metrics.put(prefix + "target_epoch", e.doubleValue()));
            row.convergenceEpoch().ifPresent(e -> metrics.put(prefix + "convergence_epoch", e.doubleValue()));
            row.convergenceRatio().ifPresent(r -> metrics.put(prefix + "convergence_ratio", r));
        }
        return metrics;
    }

    /** The report's Markdown table, as {@code report.md} holds it. */
    public String markdownTable() {
        return ReportTables.markdownTable(rows, settings);
    }

    /**
     * Writes {@code report.csv}, the plots and {@code report.md} (last) into the sweep folder.
     *
     * @return the files written, by their names in the folder
     * @throws ReportException when one of them exists but the sweep holds no {@code report.md} that
     *     Spikeforge wrote, or its {@code report.md} is not Spikeforge's: nothing is written then
     */
    public Map<String, Path> write() throws IOException, ReportException {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put(SweepFolder.REPORT_CSV, sweep.reportCsv());
        files.put(sweep.reportPlot(ACCURACY_PLOT).getFileName().toString(), sweep.reportPlot(ACCURACY_PLOT));
        files.put(sweep.reportPlot(LOSS_PLOT).getFileName().toString(), sweep.reportPlot(LOSS_PLOT));
        files.put(SweepFolder.REPORT_MARKDOWN, sweep.reportMarkdown());
        checkOwnership(files.values());
        AtomicFiles.write(sweep.reportCsv(), ReportTables.csv(rows).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(sweep.reportPlot(ACCURACY_PLOT), ReportPlots.accuracy(rows));
        AtomicFiles.write(sweep.reportPlot(LOSS_PLOT), ReportPlots.loss(rows));
        String markdown = ReportTables.markdown(MARKER, rows, settings, sweep,
                sweep.reportPlot(ACCURACY_PLOT).getFileName().toString(),
                sweep.reportPlot(LOSS_PLOT).getFileName().toString());
        AtomicFiles.write(sweep.reportMarkdown(), markdown.getBytes(StandardCharsets.UTF_8));
        return files;
    }

    private void checkOwnership(Iterable<Path> files) throws IOException, ReportException {
        Path markdown = sweep.reportMarkdown();
        if (Files.exists(markdown)) {
            String first;
            try (var reader = Files.newBufferedReader(markdown, StandardCharsets.UTF_8)) {
                first = Optional.ofNullable(reader.readLine()).orElse("");
            } catch (java.nio.charset.CharacterCodingException e) {
                first = "";
            }
            if (!first.equals(MARKER)) {
                throw new ReportException(markdown + " was not written by spikeforge report (its first line is not "
                        + MARKER + "): move it away to write the report");
            }
            return;
        }
        for (Path file : files) {
            if (Files.exists(file)) {
                throw new ReportException(file + " exists, but the sweep has no " + SweepFolder.REPORT_MARKDOWN
                        + " of spikeforge report, so it was not written by it: move it away to write the report");
            }
        }
    }
}
