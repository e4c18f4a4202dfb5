package io.spikeforge.runner.pipeline;

import io.spikeforge.engine.energy.EnergyReport;
import io.spikeforge.engine.train.EvaluationResult;
import io.spikeforge.tracking.RunStatus;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a run ended.
 *
 * @param folder the run folder
 * @param status {@link RunStatus#FINISHED}, {@link RunStatus#INTERRUPTED} or {@link RunStatus#FAILED}
 * @param models the models of the experiment's kind, in the order of its phases ({@code teacher},
 *     {@code student} for {@code distill}; {@code model} for {@code train})
 * @param evaluations each model's last evaluation on the test set, for those that got that far, with
 *     its operations and energy per image ({@code energy.csv})
 * @param error what ended a failed run, as its status file says: the message, with the key to
 *     change where one is known
 * @param failure what ended a failed run: an exception, or an {@link Error} such as a plugin's {@link LinkageError}
 */
public record RunResult(Path folder, RunStatus status, List<String> models, Map<String, EvaluationResult> evaluations,
                        Optional<String> error, Optional<Throwable> failure) {
    public RunResult {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(status, "status");
        models = List.copyOf(models);
        evaluations = Collections.unmodifiableMap(new LinkedHashMap<>(evaluations));
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(failure, "failure");
    }

    /** The model's last evaluation on the test set, if it got that far. */
    public Optional<EvaluationResult> evaluation(String model) {
        return Optional.ofNullable(evaluations.get(model));
    }

    /** The model's operations and energy per image in its last evaluation, where it was counted. */
    public Optional<EnergyReport> energy(String model) {
        return evaluation(model).flatMap(EvaluationResult::energy);
    }
}
