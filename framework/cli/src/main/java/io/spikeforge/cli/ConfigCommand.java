package io.spikeforge.cli;

import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.config.ExperimentLoader;
import io.spikeforge.runner.plugin.PluginHost;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code spikeforge config}: prints the fully resolved experiment. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the resolved experiment as YAML: overrides applied, every default filled in, "
                + "plugin parameters included. The output is itself a valid experiment file.")
final class ConfigCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SpikeforgeCli root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPERIMENT.yaml", description = "The experiment file.")
    Path experimentFile;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "Overrides, as for validate.")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws ConfigException {
        try (PluginHost host = PluginHostSupport.start(root, spec.commandLine().getErr())) {
            String yaml = new ExperimentLoader(host.registry()).load(experimentFile, overrides).toYaml();
            spec.commandLine().getOut().print(yaml);
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }
}
