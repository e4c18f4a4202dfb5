package io.spikeforge.runner.pipeline;

import io.spikeforge.common.IoErrors;
import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.config.ExperimentLoader;
import io.spikeforge.runner.plugin.ComponentRegistry;
import io.spikeforge.runner.plugin.RegisteredComponent;
import io.spikeforge.tracking.RunStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a resumed run continues, from the last checkpoints in its folder: the teacher from its
 * checkpoint (or, when complete, straight to the student), the student from its checkpoint (or
 * from its initialization when it has none). Rows of {@code metrics.csv} for epochs after the
 * checkpoints are dropped, since those epochs run again.
 *
 * @param folder the run folder, or null for {@link #NONE}
 * @param teacher the teacher's last checkpoint
 * @param student the student's last checkpoint
 */
record Resumption(RunFolder folder, Optional<Checkpoints.Saved> teacher, Optional<Checkpoints.Saved> student) {
    /** A run that starts from the beginning. */
    static final Resumption NONE = new Resumption(null, Optional.empty(), Optional.empty());

    /**
     * Checks that a folder can be resumed with an experiment and reads its checkpoints.
     *
     * @throws RunSetupException when the folder is not a run folder, its run finished, its
     *     {@code config.yaml} is not the experiment's, or a checkpoint cannot be read or belongs to
     *     another configuration
     */
    static Resumption inspect(Path path, Experiment experiment) throws RunSetupException {
        try {
            RunFolder folder = RunFolder.open(path);
            String status = folder.readStatusWord();
            if (RunStatus.FINISHED.word().equals(status)) {
                throw new RunSetupException("cannot resume " + path + ": the run finished already (its status file"
                        + " says '" + status + "')");
            }
            if (!experiment.equals(recorded(folder, experiment))) {
                throw new RunSetupException("cannot resume " + path + ": the experiment differs from the run's "
                        + RunFolder.CONFIG + " (resume with that file, or leave the experiment out)");
            }
            Checkpoints checkpoints = new Checkpoints(path, experiment.experiment().name(), folder.configSha256());
            Optional<Checkpoints.Saved> teacher = checkpoints.readLast(ExperimentPipeline.TEACHER);
            Optional<Checkpoints.Saved> student = checkpoints.readLast(ExperimentPipeline.STUDENT);
            Optional<Path> teacherWeights = experiment.teacher().weights();
            if (student.isPresent() && teacherWeights.isEmpty()
                    && !teacher.map(Checkpoints.Saved::complete).orElse(false)) {
                throw new RunSetupException("cannot resume " + path + ": it holds a checkpoint of the student but "
                        + teacher.map(t -> "the teacher's last checkpoint is of epoch " + t.epochsCompleted() + " of "
                        + t.epochs()).orElse("no checkpoint of the trained teacher") + " in " + Checkpoints.DIR);
            }
            if (student.isPresent() && teacherWeights.isPresent()) {
                String recorded = student.get().checkpoint().metadata().get(Checkpoints.TEACHER_WEIGHTS_SHA256);
                if (recorded != null && !recorded.equals(Checkpoints.sha256(teacherWeights.get()))) {
                    throw new RunSetupException("cannot resume " + path + ": teacher.weights " + teacherWeights.get()
                            + " changed since the student's checkpoint was written (SHA-256 differs)");
                }
            }
            return new Resumption(folder, teacher, student);
        } catch (IOException e) {
            throw new RunSetupException("cannot resume " + path + ": " + IoErrors.message(e), e);
        }
    }

    /**
     * The experiment of the folder's {@code config.yaml}, resolved with the components of
     * {@code experiment}: a file written by an earlier version (without what it left to defaults)
     * means what it meant then, and the text may differ from today's {@link Experiment#toYaml()}.
     */
    private static Experiment recorded(RunFolder folder, Experiment experiment) throws RunSetupException {
        List<RegisteredComponent> components = new ArrayList<>(List.of(experiment.neuron().component(),
                experiment.surrogate().component()));
        experiment.initialization().ifPresent(slot -> components.add(slot.component()));
        experiment.distillation().ifPresent(slot -> components.add(slot.component()));
        try {
            return new ExperimentLoader(ComponentRegistry.of(components)).loadRecorded(folder.file(RunFolder.CONFIG),
                    warning -> { });
        } catch (ConfigException e) {
            throw new RunSetupException("cannot resume " + folder.path() + ": its " + RunFolder.CONFIG
                    + " is not the experiment's:\n" + e.getMessage(), e);
        }
    }

    /** Whether the teacher's training is over (or it was loaded and the student went on). */
    boolean teacherDone() {
        return student.isPresent() || teacher.map(Checkpoints.Saved::complete).orElse(false);
    }

    /** Whether {@code metrics.csv}'s row of a model and epoch (0: before training) stays. */
    boolean keepsRow(String model, int epoch) {
        if (ExperimentPipeline.TEACHER.equals(model)) {
            return teacherDone() || teacher.map(t -> epoch <= t.epochsCompleted()).orElse(false);
        }
        return student.map(s -> epoch <= s.epochsCompleted()).orElse(false);
    }

    /** Where the run continues, in words; empty for {@link #NONE}. */
    Optional<String> describe() {
        if (folder == null) {
            return Optional.empty();
        }
        if (student.isPresent()) {
            return Optional.of(position(ExperimentPipeline.STUDENT, student.get()));
        }
        if (teacher.isPresent() && !teacher.get().complete()) {
            return Optional.of(position(ExperimentPipeline.TEACHER, teacher.get()));
        }
        return Optional.of(teacherDone() ? "student from its initialization (the teacher is trained)"
                : "from the start (no checkpoint yet)");
    }

    private static String position(String model, Checkpoints.Saved saved) {
        return model + " after epoch " + saved.epochsCompleted() + " of " + saved.epochs();
    }
}
