package io.spikeforge.runner.plugin;

import java.util.List;
import java.util.stream.Collectors;

/** In strict mode, one or more plugins could not be used: each is listed with its reason. */
public class UnusablePluginsException extends PluginSetupException {
    private static final long serialVersionUID = 1L;

    private final transient List<PluginProblem> problems;

    public UnusablePluginsException(List<PluginProblem> problems) {
        super(problems.size() + (problems.size() == 1 ? " plugin" : " plugins")
                + " could not be used, and strict plugin checking allows none:"
                + problems.stream().map(problem -> "\n  " + problem).collect(Collectors.joining()));
        this.problems = List.copyOf(problems);
    }

    /** What could not be used, and why. */
    public List<PluginProblem> problems() {
        return problems;
    }
}
