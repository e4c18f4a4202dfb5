package io.spikeforge.cli;

import io.spikeforge.runner.sweep.ArmState;
import io.spikeforge.runner.sweep.SlurmArmReport;
import io.spikeforge.runner.sweep.SlurmSweep;
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
 * {@code spikeforge sweep status DIR}: where each arm of a sweep submitted to SLURM stands, from the
 * cluster and the run folders; the sweep's index gets these states.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show where each arm of a sweep submitted to SLURM stands (from the cluster's queue, what "
                + "SLURM says of ended jobs, and the arms' run folders), with the last error line of each failed or "
                + "cancelled arm, and write these states to the sweep's index.tsv.",
            "Exits with 7 when an arm failed or was cancelled."})
final class SweepStatusCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The sweep folder.")
    Path sweep;

    @Override
    public Integer call() throws IOException {
        SlurmSweep submitted = SlurmSweep.at(sweep);
        List<SlurmArmReport> reports = submitted.status();
        PrintWriter out = spec.commandLine().getOut();
        print(out, submitted.folder().root(), reports);
        out.flush();
        boolean failed = reports.stream().anyMatch(r -> r.state() == ArmState.FAILED || r.state() == ArmState.CANCELLED);
        return failed ? ExitCodes.RUN_FAILED : ExitCodes.OK;
    }

    /** The table of arms, each failed or cancelled one followed by its last error line, and a count of states. */
    static void print(PrintWriter out, Path root, List<SlurmArmReport> reports) {
        int nameWidth = Math.max(4, reports.stream().mapToInt(r -> r.arm().name().length()).max().orElse(0));
        int jobWidth = Math.max(3, reports.stream().mapToInt(r -> r.job().orElse("-").length()).max().orElse(0));
        String row = "%-4s %-" + nameWidth + "s %-11s %-" + jobWidth + "s %s%n";
        out.printf(row, "arm", "name", "state", "job", "run folder");
        Map<ArmState, Integer> counts = new EnumMap<>(ArmState.class);
        for (SlurmArmReport report : reports) {
            out.printf(row, report.arm().index(), report.arm().name(), report.state().word(),
                    report.job().orElse("-"), root.relativize(report.runFolder()));
            if (report.state() == ArmState.FAILED || report.state() == ArmState.CANCELLED) {
                report.lastError().ifPresent(error -> out.println("     " + error));
            }
            counts.merge(report.state(), 1, Integer::sum);
        }
        out.println(reports.size() + " arms: " + counts.entrySet().stream()
                .map(entry -> entry.getValue() + " " + entry.getKey().word()).collect(Collectors.joining(", ")));
        if (reports.stream().anyMatch(report -> report.state().endedUnfinished())) {
            out.println("Run them again with: spikeforge sweep resubmit " + root + " --failed");
        }
    }
}
