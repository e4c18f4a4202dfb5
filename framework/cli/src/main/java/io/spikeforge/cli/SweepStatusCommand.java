package io.spikeforge.cli;

import io.spikeforge.runner.sweep.ArmReport;
import io.spikeforge.runner.sweep.ArmState;
import io.spikeforge.runner.sweep.SlurmLauncher;
import io.spikeforge.runner.sweep.SweepStatus;
import io.spikeforge.runner.sweep.SweepTracking;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code spikeforge sweep status DIR}: where each arm of a sweep stands ({@link SweepStatus}); for a
 * SLURM sweep, the index gets these states and the MLflow parent run ends once every arm ended.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show where each arm of a sweep stands, with the last error line of each failed or "
                + "cancelled arm. A local sweep: from the arms' run folders. A sweep submitted to SLURM: from the "
                + "cluster's queue, what SLURM says of ended jobs and the run folders; these states are written to "
                + "index.tsv, and once every arm ended the sweep's MLflow parent run ends (FINISHED when every arm "
                + "finished, else FAILED).",
            "Exits with 7 when an arm failed or was cancelled."})
final class SweepStatusCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The sweep folder.")
    Path sweep;

    @Override
    public Integer call() throws IOException {
        SweepStatus status = SweepStatus.read(sweep);
        PrintWriter out = spec.commandLine().getOut();
        print(out, status);
        out.flush();
        if (status.launcher().equals(SlurmLauncher.NAME)) {
            settleParent(status, spec.commandLine().getErr());
        }
        return status.anyFailed() ? ExitCodes.RUN_FAILED : ExitCodes.OK;
    }

    /**
     * Ends (or reopens) a SLURM sweep's MLflow parent run by where its arms stand, under the sweep
     * folder's lock (the arms that end take it too); a problem is a warning.
     */
    static void settleParent(SweepStatus status, PrintWriter err) {
        try {
            status.folder().locked(() -> SweepTracking.settleParent(status.folder(),
                    status.arms().stream().map(ArmReport::state).toList(), err::println));
        } catch (IOException e) {
            err.println("warning: MLflow: cannot update the sweep's parent run: " + e.getMessage());
            err.flush();
        }
    }

    /** The table of arms, each failed or cancelled one followed by its last error line, and a count of states. */
    static void print(PrintWriter out, SweepStatus status) {
        Path root = status.folder().root();
        List<ArmReport> reports = status.arms();
        int nameWidth = Math.max(4, reports.stream().mapToInt(r -> r.arm().name().length()).max().orElse(0));
        int jobWidth = Math.max(3, reports.stream().mapToInt(r -> r.job().orElse("-").length()).max().orElse(0));
        String row = "%-4s %-" + nameWidth + "s %-11s %-" + jobWidth + "s %s%n";
        out.printf(row, "arm", "name", "state", "job", "run folder");
        Map<ArmState, Integer> counts = new EnumMap<>(ArmState.class);
        for (ArmReport report : reports) {
            out.printf(row, report.arm().index(), report.arm().name(), report.state().word(),
                    report.job().orElse("-"), root.relativize(report.runFolder()));
            if (report.state() == ArmState.FAILED || report.state() == ArmState.CANCELLED
                    || report.state() == ArmState.UNSUBMITTED) {
                report.lastError().ifPresent(error -> out.println("     " + error));
            }
            counts.merge(report.state(), 1, Integer::sum);
        }
        out.println(reports.size() + " arms: " + counts.entrySet().stream()
                .map(entry -> entry.getValue() + " " + entry.getKey().word()).collect(Collectors.joining(", ")));
        if (reports.stream().anyMatch(report -> report.state().endedUnfinished())) {
            out.println("Run them again with: " + (status.launcher().equals(SlurmLauncher.NAME)
                    ? "spikeforge sweep resubmit " + root + " --failed" : "spikeforge sweep --resume " + root));
        }
    }
}
