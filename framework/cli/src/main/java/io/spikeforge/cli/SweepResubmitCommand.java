package io.spikeforge.cli;

import io.spikeforge.runner.sweep.Arm;
import io.spikeforge.runner.sweep.ArmCommand;
import io.spikeforge.runner.sweep.SlurmLauncher;
import io.spikeforge.runner.sweep.SlurmSweep;
import io.spikeforge.runner.sweep.SweepFolder;
import io.spikeforge.runner.sweep.SweepStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spikeforge sweep resubmit DIR [--arm N]... [--failed]}: submits arms of a SLURM sweep again,
 * alone, with the settings of its first submission.
 */
@Command(name = "resubmit", mixinStandardHelpOptions = true,
        description = "Submit arms of a sweep to SLURM again (a local sweep continues with sweep --resume DIR), with the settings they were first submitted with: "
                + "the arms named by --arm, and with --failed every arm that failed, was cancelled, was "
                + "interrupted or was never submitted (sbatch refused it). An unfinished arm continues from its checkpoints.")
final class SweepResubmitCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The sweep folder.")
    Path sweep;

    @Option(names = "--arm", paramLabel = "N", description = "An arm to resubmit, by index; repeatable.")
    List<Integer> arms = new ArrayList<>();

    @Option(names = "--failed", description = "Resubmit every arm that failed, was cancelled, was interrupted or "
            + "was never submitted.")
    boolean failed;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (arms.isEmpty() && !failed) {
            throw new CommandLine.ParameterException(spec.commandLine(), "name the arms to resubmit: --arm N "
                    + "(repeatable) or --failed");
        }
        Optional<String> notASweep = SweepFolder.whyNotASweepFolder(sweep);
        if (notASweep.isPresent()) {
            throw new IOException(sweep + ": " + notASweep.get());
        }
        if (!SlurmLauncher.wasSubmitted(SweepFolder.at(sweep))) {
            throw new CommandLine.ParameterException(spec.commandLine(), sweep + " was not submitted to SLURM: "
                    + "continue a local sweep with: spikeforge sweep --resume " + sweep);
        }
        SlurmSweep submitted = SlurmSweep.at(sweep);
        Optional<SlurmSweep.Resubmission> resubmission;
        try {
            resubmission = submitted.resubmit(arms, failed, ArmCommand.ofThisDistribution());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (resubmission.isEmpty()) {
            out.println("No arm failed, was cancelled, was interrupted or is unsubmitted: nothing to resubmit.");
        } else {
            List<Arm> submittedArms = resubmission.get().arms();
            out.println("Resubmitted " + (submittedArms.size() == 1 ? "arm " : "arms ") + submittedArms.stream()
                    .map(arm -> arm.index() + " '" + arm.name() + "'").collect(Collectors.joining(", "))
                    + " as SLURM job " + resubmission.get().job() + "; see: spikeforge sweep status " + sweep);
            SweepStatusCommand.settleParent(SweepStatus.read(sweep), spec.commandLine().getErr());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
