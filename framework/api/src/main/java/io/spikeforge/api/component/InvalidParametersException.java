package io.spikeforge.api.component;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a component's parameters are invalid; carries every problem found, not just the first. */
public class InvalidParametersException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<ParameterProblem> problems;

    /** Creates the exception from one or more problems. */
    public InvalidParametersException(List<ParameterProblem> problems) {
        super(problems.stream().map(ParameterProblem::toString).collect(Collectors.joining("; ")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an InvalidParametersException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** Creates the exception for a single key. */
    public InvalidParametersException(String key, String message) {
        this(List.of(new ParameterProblem(key, message)));
    }

    /** The problems, in the order they were found. */
    public List<ParameterProblem> problems() {
        return problems;
    }
}
