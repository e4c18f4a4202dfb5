package io.spikeforge.cli;

import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.engine.tensor.MemoryBudget;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.pipeline.ExperimentMemory;
import io.spikeforge.runner.pipeline.ExperimentTooLargeException;
import io.spikeforge.runner.plugin.PluginHost;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code spikeforge validate}: checks an experiment file and its overrides against the schema and plugins. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check an experiment file (and overrides) without running it, with the files it names "
                + "(dataset.path, teacher.weights) and whether its models and batches fit in this machine's memory."
                + " Prints every problem with file, line, column and key; exits 3 when there is one. Warnings (a"
                + " CIFAR folder or weights file that does not exist yet) leave the exit code 0.")
final class ValidateCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SpikeforgeCli root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ExperimentArguments experiment;

    @Override
    public Integer call() throws ConfigException {
        try (PluginHost host = PluginHostSupport.start(root, spec.commandLine().getErr())) {
            Experiment loaded = experiment.load(host, spec.commandLine().getErr());
            try {
                ExperimentMemory.expected(loaded).require(MemoryBudget.current());
            } catch (ExperimentTooLargeException e) {
                PrintWriter err = spec.commandLine().getErr();
                err.println(experiment.file + ": on this machine, " + e.getMessage());
                if (root.verbose()) {
                    e.printStackTrace(err);
                }
                err.flush();
                return ExitCodes.INVALID_EXPERIMENT;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(experiment.file + ": valid (experiment '" + loaded.experiment().name() + "')");
            out.flush();
        }
        return ExitCodes.OK;
    }
}
