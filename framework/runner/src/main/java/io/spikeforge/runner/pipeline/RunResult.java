package io.spikeforge.runner.pipeline;

import io.spikeforge.engine.train.EvaluationResult;
import io.spikeforge.tracking.RunStatus;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How a run ended.
 *
 * @param folder the run folder
 * @param status {@link RunStatus#FINISHED}, {@link RunStatus#INTERRUPTED} or {@link RunStatus#FAILED}
 * @param teacher the teacher's last evaluation on the test set, if it got that far
 * @param student the student's last evaluation on the test set, if it got that far
 * @param error what ended a failed run, as its status file says: the message, with the key to
 *     change where one is known
 * @param failure what ended a failed run: an exception, or an {@link Error} such as a plugin's {@link LinkageError}
 */
public record RunResult(Path folder, RunStatus status, Optional<EvaluationResult> teacher,
                        Optional<EvaluationResult> student, Optional<String> error, Optional<Throwable> failure) {
    public RunResult {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(teacher, "teacher");
        Objects.requireNonNull(student, "student");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(failure, "failure");
    }
}
