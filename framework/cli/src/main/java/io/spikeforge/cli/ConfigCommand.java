package io.spikeforge.cli;

import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.plugin.PluginHost;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code spikeforge config}: prints the fully resolved experiment. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the resolved experiment as YAML: overrides applied, every default filled in, "
                + "plugin parameters (those a plugin derives too) and each component's plugin and version "
                + "included. The output is itself a valid experiment file; warnings go to standard error.")
final class ConfigCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SpikeforgeCli root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ExperimentArguments experiment;

    @Override
    public Integer call() throws ConfigException {
        try (PluginHost host = PluginHostSupport.start(root, spec.commandLine().getErr())) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(experiment.load(host, spec.commandLine().getErr()).toYaml());
            out.flush();
        }
        return ExitCodes.OK;
    }
}
