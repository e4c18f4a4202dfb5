package io.spikeforge.cli;

import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.config.ExperimentLoader;
import io.spikeforge.runner.plugin.PluginHost;
import java.io.PrintWriter;
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

    /** Loads and validates the experiment against the host's components; warnings go to {@code err}. */
    Experiment load(PluginHost host, PrintWriter err) throws ConfigException {
        return load(host, file, overrides, err);
    }

    /**
     * Loads and validates an experiment file with overrides against the host's components, printing
     * each warning to {@code err} as {@code warning: file:line:column: key: message}.
     */
    static Experiment load(PluginHost host, Path file, List<String> overrides, PrintWriter err)
            throws ConfigException {
        try {
            return new ExperimentLoader(host.registry()).load(file, overrides,
                    warning -> err.println("warning: " + warning));
        } finally {
            err.flush();
        }
    }

    /**
     * Loads a run folder's {@code config.yaml} to resume the run ({@link ExperimentLoader#loadRecorded}),
     * printing each warning as {@link #load} does.
     */
    static Experiment loadRecorded(PluginHost host, Path runConfig, PrintWriter err) throws ConfigException {
        try {
            return new ExperimentLoader(host.registry()).loadRecorded(runConfig,
                    warning -> err.println("warning: " + warning));
        } finally {
            err.flush();
        }
    }
}
