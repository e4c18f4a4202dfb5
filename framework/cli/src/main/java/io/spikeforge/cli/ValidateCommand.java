package io.spikeforge.cli;

import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.config.ExperimentLoader;
import io.spikeforge.runner.plugin.PluginHost;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code spikeforge validate}: checks an experiment file and its overrides against the schema and plugins. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check an experiment file (and overrides) without running it. Prints every problem "
                + "with file, line, column and key; exits 3 when there is one.")
final class ValidateCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SpikeforgeCli root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPERIMENT.yaml", description = "The experiment file.")
    Path experimentFile;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE",
            description = "Overrides in Hydra style: training.epochs=10, neuron.id=if, ~neuron.decay, initialization=none.")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws ConfigException {
        try (PluginHost host = PluginHostSupport.start(root, spec.commandLine().getErr())) {
            Experiment experiment = new ExperimentLoader(host.registry()).load(experimentFile, overrides);
            spec.commandLine().getOut().println(experimentFile + ": valid (experiment '" + experiment.experiment().name()
                    + "')");
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }
}
