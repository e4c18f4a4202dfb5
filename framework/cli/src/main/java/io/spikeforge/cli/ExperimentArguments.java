package io.spikeforge.cli;

import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.config.ExperimentLoader;
import io.spikeforge.runner.plugin.PluginHost;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Parameters;

/** The experiment file and its overrides, as every command that reads an experiment takes them. */
final class ExperimentArguments {
    static final String OVERRIDES_DESCRIPTION = "Overrides in Hydra style: training.epochs=10, neuron.id=if, "
            + "~neuron.decay, initialization=none.";

    @Parameters(index = "0", paramLabel = "EXPERIMENT.yaml", description = "The experiment file.")
    Path file;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = OVERRIDES_DESCRIPTION)
    List<String> overrides = new ArrayList<>();

    /** Loads and validates the experiment against the host's components. */
    Experiment load(PluginHost host) throws ConfigException {
        return load(host, file, overrides);
    }

    /** Loads and validates an experiment file with overrides against the host's components. */
    static Experiment load(PluginHost host, Path file, List<String> overrides) throws ConfigException {
        return new ExperimentLoader(host.registry()).load(file, overrides);
    }
}
