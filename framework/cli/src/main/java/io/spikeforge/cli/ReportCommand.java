package io.spikeforge.cli;

import io.spikeforge.common.IoErrors;
import io.spikeforge.runner.report.ParentRun;
import io.spikeforge.runner.report.ReportException;
import io.spikeforge.runner.report.ReportSettings;
import io.spikeforge.runner.report.SweepReport;
import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.sweep.SweepFile;
import io.spikeforge.runner.sweep.SweepFolder;
import io.spikeforge.tracking.RunIdsFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spikeforge report}: a sweep's table and curves, logged to its MLflow parent run. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write the report of a sweep folder, with the settings of its study's report: section "
                + "(model, group_by_seed, target_accuracy, convergence), the options overriding them: report.csv and report.md (a table with the plots "
                + "embedded and the arms' overrides), report-accuracy.png and report-loss.png (test accuracy and loss "
                + "per epoch, one line per row). One row per arm, or, by default, per group of finished arms that "
                + "differ only in the seed (mean ± standard deviation, n). Arms that have not finished are listed with "
                + "their state and what they have so far. The report is also logged to the sweep's MLflow parent run "
                + "when it has one. A report.md not written by spikeforge report is never overwritten.",
            "Exits 0 when written, 2 when the folder is not a sweep or the report cannot be written as asked, "
                + "11 when written but not logged to the parent run."})
final class ReportCommand implements Callable<Integer> {
    @CommandLine.Parameters(index = "0", paramLabel = "SWEEP_DIR", description = "The sweep folder.")
    Path sweepDir;

    @CommandLine.ArgGroup(exclusive = true)
    Rows rows = new Rows();

    /** One row per group of seeds, or per arm. */
    static final class Rows {
        @Option(names = "--group-by-seed",
                description = "One row per group of finished arms whose overrides differ only in the seed "
                        + "(experiment.seed or seed): the default, unless the study's report.group_by_seed is false.")
        boolean groupBySeed;

        @Option(names = "--per-arm", description = "One row per arm.")
        boolean perArm;
    }

    @Option(names = "--target-accuracy", paramLabel = "PERCENT",
            description = "Also give the first epoch whose test accuracy reaches PERCENT (such as 90).")
    Double targetAccuracy;

    @Option(names = "--convergence", paramLabel = "BASELINE",
            description = "Time every row against row BASELINE (an arm's name; a group's, the arms' names without "
                    + "their seed): the first epoch whose test accuracy reaches BASELINE's final accuracy (mean "
                    + "over its seeds), and that epoch divided by BASELINE's own.")
    String convergenceBaseline;

    @Option(names = "--model", paramLabel = "NAME",
            description = "The model to report, such as teacher (default: each run's main model: the student of a "
                    + "distill run, the model of a train run, the converted snn of a convert run).")
    String model;

    @Option(names = "--no-mlflow", description = "Do not log the report to the sweep's MLflow parent run.")
    boolean noMlflow;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where the sweep's parent run is recorded. */
    private final ParentRun.Lookup parentRun;

    ReportCommand() {
        this(ParentRun.listedInSweepFolder());
    }

    ReportCommand(ParentRun.Lookup parentRun) {
        this.parentRun = parentRun;
    }

    /** The settings of the sweep's {@code report:} section, with the options given over them. */
    ReportSettings settings(ReportSettings section) {
        ReportSettings settings = section;
        if (rows.perArm || rows.groupBySeed) {
            settings = settings.withGroupBySeeds(!rows.perArm);
        }
        if (model != null) {
            settings = settings.withModel(model);
        }
        if (targetAccuracy != null) {
            try {
                settings = settings.withTargetAccuracy(targetAccuracy);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--target-accuracy: " + e.getMessage());
            }
        }
        if (convergenceBaseline != null) {
            settings = settings.withConvergenceBaseline(convergenceBaseline);
        }
        return settings;
    }

    /** The sweep's {@code report:} section; the defaults where the folder is no sweep (build says so). */
    private ReportSettings section() throws IOException, ReportException {
        SweepFolder folder = SweepFolder.at(sweepDir);
        if (SweepFolder.whyNotASweepFolder(sweepDir).isPresent()) {
            return ReportSettings.defaults();
        }
        try {
            return ReportSettings.fromSection(SweepFile.readReport(folder));
        } catch (ConfigException e) {
            throw new ReportException(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ReportException(folder.sweepFile() + ": " + e.getMessage());
        }
    }

    @Override
    public Integer call() throws IOException {
        SpikeforgeCli root = (SpikeforgeCli) spec.root().userObject();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SweepReport report;
        Map<String, Path> files;
        try {
            report = SweepReport.build(sweepDir, settings(section()));
            files = report.write();
        } catch (ReportException e) {
            root.printError(err, e.getMessage(), e);
            return ExitCodes.USAGE;
        }
        out.print(report.markdownTable());
        out.println("Wrote " + String.join(", ", files.keySet()) + " in " + sweepDir);
        out.flush();
        if (noMlflow) {
            return ExitCodes.OK;
        }
        Optional<RunIdsFile.Entry> parent = parentRun.find(SweepFolder.at(sweepDir));
        if (parent.isEmpty()) {
            return ExitCodes.OK;
        }
        try {
            ParentRun.log(parent.get(), files, report.keyMetrics());
        } catch (IOException | IllegalArgumentException e) {
            root.printError(err, "cannot log the report to MLflow parent run " + parent.get().runId() + ": "
                    + (e instanceof IOException io ? IoErrors.message(io) : e.getMessage()), e);
            return ExitCodes.TRACKING_STORE_INCOMPLETE;
        }
        out.println("Logged it to MLflow parent run " + parent.get().runId() + " in " + parent.get().store().orElseThrow());
        out.flush();
        return ExitCodes.OK;
    }
}
