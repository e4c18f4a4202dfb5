package io.spikeforge.runner.report;

import io.spikeforge.runner.sweep.SweepFolder;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The text of {@code report.csv} and {@code report.md}. */
final class ReportTables {
    /** The columns of {@code report.csv} before the converted network's accuracy per T. */
    static final List<String> CSV_COLUMNS = List.of("arm", "state", "n", "model", "last_epoch", "final_accuracy",
            "final_accuracy_std", "best_accuracy", "best_accuracy_std", "target_epoch", "convergence_epoch",
            "convergence_ratio", "train_seconds", "train_seconds_std", "firing_rate", "firing_rate_std",
            "energy_pj_per_image", "energy_pj_per_image_std");
    private static final String MISSING = "—";

    private ReportTables() {
    }

    /**
     * One line per row: the columns of {@link #CSV_COLUMNS}, then {@code accuracy_T<t>} and its
     * {@code _std} for each T any convert run evaluated, then {@code arms} (the arms' names,
     * separated by {@code ;}) and {@code overrides}. Accuracies in percent; empty cells for what is unknown.
     */
    static String csv(List<ReportRow> rows) {
        TreeSet<Integer> timeSteps = timeSteps(rows);
        List<String> header = new ArrayList<>(CSV_COLUMNS);
        timeSteps.forEach(t -> {
            header.add("accuracy_T" + t);
            header.add("accuracy_T" + t + "_std");
        });
        header.add("arms");
        header.add("overrides");
        StringBuilder text = new StringBuilder(String.join(",", header)).append('\n');
        for (ReportRow row : rows) {
            List<String> cells = new ArrayList<>(List.of(quoted(row.label()), row.state().word(),
                    Integer.toString(row.arms().size()), quoted(row.model()), number(row.lastEpoch().mean()),
                    number(row.finalAccuracy().mean()), number(row.finalAccuracy().std()),
                    number(row.bestAccuracy().mean()), number(row.bestAccuracy().std()),
                    row.targetEpoch().map(String::valueOf).orElse(""),
                    row.convergenceEpoch().map(String::valueOf).orElse(""),
                    row.convergenceRatio().isPresent() ? number(row.convergenceRatio().getAsDouble()) : "",
                    number(row.trainSeconds().mean()), number(row.trainSeconds().std()),
                    number(row.firingRate().mean()), number(row.firingRate().std()),
                    number(row.energyPicojoules().mean()), number(row.energyPicojoules().std())));
            for (int t : timeSteps) {
                Stat stat = row.convertedAccuracy().getOrDefault(t, Stat.NONE);
                cells.add(number(stat.mean()));
                cells.add(number(stat.std()));
            }
            cells.add(quoted(row.arms().stream().map(arm -> arm.arm().name()).collect(Collectors.joining(";"))));
            cells.add(quoted(row.overrides()));
            text.append(String.join(",", cells)).append('\n');
        }
        return text.toString();
    }

    /** The Markdown table of the rows. */
    static String markdownTable(List<ReportRow> rows, ReportSettings settings) {
        TreeSet<Integer> timeSteps = timeSteps(rows);
        List<String> header = new ArrayList<>(List.of("arm", "state", "n", "model", "epochs", "final acc. (%)",
                "best acc. (%)"));
        settings.targetAccuracy().ifPresent(t -> header.add("epoch to " + decimal(t, 2) + " %"));
        settings.convergenceBaseline().ifPresent(b -> {
            header.add("epoch to " + b + "'s final acc.");
            header.add("epochs vs " + b);
        });
        header.addAll(List.of("training time (s)", "firing rate", "energy (µJ/image)"));
        timeSteps.forEach(t -> header.add("acc. T=" + t + " (%)"));
        StringBuilder text = new StringBuilder();
        text.append("| ").append(String.join(" | ", header)).append(" |\n");
        text.append("|").append(" --- |".repeat(header.size())).append('\n');
        for (ReportRow row : rows) {
            List<String> cells = new ArrayList<>(List.of(cell(row.label()), row.state().word(),
                    Integer.toString(row.arms().size()), row.model().isEmpty() ? MISSING : row.model(),
                    epochs(row.lastEpoch()), stat(row.finalAccuracy(), 2), stat(row.bestAccuracy(), 2)));
            settings.targetAccuracy().ifPresent(t -> cells.add(row.targetEpoch().map(String::valueOf)
                    .orElse(row.finalAccuracy().isKnown() ? "not reached" : MISSING)));
            if (settings.convergenceBaseline().isPresent()) {
                cells.add(row.convergenceEpoch().map(String::valueOf)
                        .orElse(row.finalAccuracy().isKnown() ? "not reached" : MISSING));
                cells.add(row.convergenceRatio().isPresent() ? decimal(row.convergenceRatio().getAsDouble(), 2)
                        : MISSING);
            }
            cells.add(row.trainSeconds().isKnown() ? stat(row.trainSeconds(), 1)
                    : row.lastEpoch().isKnown() ? "missing" : MISSING);
            cells.add(stat(row.firingRate(), 4));
            Stat energy = row.energyPicojoules();
            cells.add(energy.isKnown() ? stat(new Stat(energy.mean() / 1e6, energy.std() / 1e6, energy.n()), 3)
                    : MISSING);
            timeSteps.forEach(t -> cells.add(stat(row.convertedAccuracy().getOrDefault(t, Stat.NONE), 2)));
            text.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        return text.toString();
    }

    /** The whole {@code report.md}: the marker, the table and what it means, the plots, the arms. */
    static String markdown(String marker, List<ReportRow> rows, ReportSettings settings, SweepFolder sweep,
                           String accuracyPlot, String lossPlot) {
        StringBuilder text = new StringBuilder(marker).append('\n');
        text.append("# Report of sweep ").append(sweep.root().toAbsolutePath().normalize().getFileName())
                .append("\n\n");
        text.append(settings.groupBySeeds()
                ? "One row per arm, finished arms that differ only in the seed grouped: mean ± sample standard "
                + "deviation over the n seeds. "
                : "One row per arm. ");
        text.append("Accuracies are top-1 on the test set in percent, of ")
                .append(settings.model().map(m -> "the model `" + m + "`")
                        .orElse("each run's main model (the student of a distill run, the model of a train run, "
                                + "the converted network of a convert run, at its largest T)"))
                .append("; epoch 0 is the evaluation before training. Training time adds up the epochs' wall times "
                        + "(training and evaluation). Rows of arms that have not finished show what their run "
                        + "folders hold so far.\n");
        settings.targetAccuracy().ifPresent(t -> text.append("\nEpoch to ").append(decimal(t, 2))
                .append(" %: the first epoch whose (mean) test accuracy reaches it.\n"));
        settings.convergenceBaseline().ifPresent(b -> text.append("\nConvergence: the first epoch whose (mean) test "
                + "accuracy reaches the final accuracy of `").append(b).append("` (mean over its seeds), and that "
                + "epoch divided by the epoch at which `").append(b).append("` itself first reaches it.\n"));
        text.append('\n').append(markdownTable(rows, settings)).append('\n');
        text.append("![test accuracy per epoch](").append(accuracyPlot).append(")\n\n");
        text.append("![test loss per epoch](").append(lossPlot).append(")\n\n");
        text.append("## Arms\n\n| # | name | state | run folder | overrides |\n| --- | --- | --- | --- | --- |\n");
        List<ArmResult> arms = rows.stream().flatMap(row -> row.arms().stream())
                .sorted(Comparator.comparingInt(arm -> arm.arm().index())).toList();
        for (ArmResult arm : arms) {
            text.append("| ").append(arm.arm().index()).append(" | ").append(cell(arm.arm().name())).append(" | ")
                    .append(arm.state().word()).append(" | ")
                    .append(sweep.root().relativize(sweep.armFolder(arm.arm()))).append(" | ")
                    .append(cell(arm.arm().overrideArguments().stream().map(o -> "`" + o + "`")
                            .collect(Collectors.joining(" ")))).append(" |\n");
        }
        return text.toString();
    }

    private static TreeSet<Integer> timeSteps(List<ReportRow> rows) {
        TreeSet<Integer> timeSteps = new TreeSet<>();
        rows.forEach(row -> timeSteps.addAll(row.convertedAccuracy().keySet()));
        return timeSteps;
    }

    /** The last epoch: one number when the seeds agree, as they do once finished. */
    private static String epochs(Stat stat) {
        return stat.isKnown() && stat.std() == 0 ? decimal(stat.mean(), 0) : stat(stat, 0);
    }

    private static String stat(Stat stat, int decimals) {
        if (!stat.isKnown()) {
            return MISSING;
        }
        return Double.isNaN(stat.std()) ? decimal(stat.mean(), decimals)
                : decimal(stat.mean(), decimals) + " ± " + decimal(stat.std(), decimals);
    }

    private static String decimal(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** A CSV number: to 6 decimals, without trailing zeros; empty when unknown. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        return BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    private static String quoted(String text) {
        if (text.contains(",") || text.contains("\"") || text.contains("\n")) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
