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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a resumed run continues, from the last checkpoints in its folder: each phase that trains
 * continues from its model's last checkpoint, or is over when that checkpoint is complete; the
 * other phases are skipped once a later model has a checkpoint (see {@link Phase}). Rows of
 * {@code metrics.csv} for epochs after the checkpoints are dropped, since those epochs run again.
 *
 * @param folder the run folder, or null for {@link #NONE}
 * @param models the models of the kind's phases, in order
 * @param last each trained model's last checkpoint, for those that have one
 */
record Resumption(RunFolder folder, List<String> models, Map<String, Checkpoints.Saved> last) {
    /** A run that starts from the beginning. */
    static final Resumption NONE = new Resumption(null, List.of(), Map.of());

    Resumption {
        models = List.copyOf(models);
        last = Map.copyOf(last);
    }

    /**
     * Checks that a folder can be resumed with an experiment and reads its checkpoints.
     *
     * @param plan the phases of the experiment's kind
     * @param components the plugin components the experiment's slots name
     * @throws RunSetupException when the folder is not a run folder, its run finished, its
     *     {@code config.yaml} is not the experiment's, a checkpoint cannot be read or belongs to
     *     another configuration, or a model has a checkpoint while a model trained before it is not
     *     complete
     */
    static Resumption inspect(Path path, Experiment experiment, Kind.Plan plan, List<RegisteredComponent> components)
            throws RunSetupException {
        try {
            RunFolder folder = RunFolder.open(path);
            String status = folder.readStatusWord();
            if (RunStatus.FINISHED.word().equals(status)) {
                throw new RunSetupException("cannot resume " + path + ": the run finished already (its status file"
                        + " says '" + status + "')");
            }
            if (!experiment.equals(recorded(folder, components))) {
                throw new RunSetupException("cannot resume " + path + ": the experiment differs from the run's "
                        + RunFolder.CONFIG + " (resume with that file, or leave the experiment out)");
            }
            Checkpoints checkpoints = new Checkpoints(path, experiment.experiment().name(), folder.configSha256());
            Map<String, Checkpoints.Saved> last = new LinkedHashMap<>();
            for (Phase phase : plan.phases()) {
                if (phase.checkpointed()) {
                    checkpoints.readLast(phase.model()).ifPresent(saved -> last.put(phase.model(), saved));
                }
            }
            Resumption resumption = new Resumption(folder, plan.models(), last);
            resumption.requireOrdered(path, plan);
            plan.resumeCheck().check(resumption);
            return resumption;
        } catch (IOException e) {
            throw new RunSetupException("cannot resume " + path + ": " + IoErrors.message(e), e);
        }
    }

    /** A model's checkpoint means every model trained before it finished its training. */
    private void requireOrdered(Path path, Kind.Plan plan) throws RunSetupException {
        for (Phase phase : plan.phases()) {
            String model = phase.model();
            if (!phase.checkpointed() || last(model).map(Checkpoints.Saved::complete).orElse(false)) {
                continue;
            }
            Optional<String> later = models.subList(models.indexOf(model) + 1, models.size()).stream()
                    .filter(last::containsKey).findFirst();
            if (later.isPresent()) {
                throw new RunSetupException("cannot resume " + path + ": it holds a checkpoint of the " + later.get()
                        + " but " + last(model).map(t -> "the " + model + "'s last checkpoint is of epoch "
                        + t.epochsCompleted() + " of " + t.epochs()).orElse("no checkpoint of the trained " + model)
                        + " in " + Checkpoints.DIR);
            }
        }
    }

    /**
     * The experiment of the folder's {@code config.yaml}, resolved with the experiment's components:
     * a file written by an earlier version (without what it left to defaults) means what it meant
     * then, and the text may differ from today's {@link Experiment#toYaml()}.
     */
    private static Experiment recorded(RunFolder folder, List<RegisteredComponent> components)
            throws RunSetupException {
        try {
            return new ExperimentLoader(ComponentRegistry.of(components)).loadRecorded(folder.file(RunFolder.CONFIG),
                    warning -> { });
        } catch (ConfigException e) {
            throw new RunSetupException("cannot resume " + folder.path() + ": its " + RunFolder.CONFIG
                    + " is not the experiment's:\n" + e.getMessage(), e);
        }
    }

    /** The model's last checkpoint, if it has one. */
    Optional<Checkpoints.Saved> last(String model) {
        return Optional.ofNullable(last.get(model));
    }

    /** Whether the model's work is over: its checkpoint is complete, or a model after it has one. */
    boolean done(String model) {
        int index = models.indexOf(model);
        return last(model).map(Checkpoints.Saved::complete).orElse(false)
                || index >= 0 && models.subList(index + 1, models.size()).stream().anyMatch(last::containsKey);
    }

    /** Whether {@code metrics.csv}'s row of a model and epoch (0: before training) stays. */
    boolean keepsRow(String model, int epoch) {
        return done(model) || last(model).map(saved -> epoch <= saved.epochsCompleted()).orElse(false);
    }

    /** Where the run continues, in words; empty for {@link #NONE}. */
    Optional<String> describe() {
        if (folder == null) {
            return Optional.empty();
        }
        for (int i = models.size() - 1; i >= 0; i--) {
            String model = models.get(i);
            Optional<Checkpoints.Saved> saved = last(model);
            if (saved.isEmpty()) {
                continue;
            }
            if (!saved.get().complete() || i == models.size() - 1) {
                return Optional.of(model + " after epoch " + saved.get().epochsCompleted() + " of "
                        + saved.get().epochs());
            }
            return Optional.of(models.get(i + 1) + " from its initialization (the " + model + " is trained)");
        }
        return Optional.of("from the start (no checkpoint yet)");
    }
}
