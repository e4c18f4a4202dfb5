package io.spikeforge.runner.pipeline;

import io.spikeforge.engine.data.ImageShape;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.config.ExperimentKind;
import io.spikeforge.runner.plugin.ComponentProviders;
import io.spikeforge.runner.plugin.RegisteredComponent;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How {@link ExperimentPipeline} runs one {@link ExperimentKind}: what its models need in memory,
 * and, before anything is written, its models built (weights read, plugin components created and
 * tried) and arranged into {@link Phase}s. The runner does the rest for every kind: the run folder,
 * its lock and status, metrics, plots, tracking, {@code --resume} and the end of the run.
 *
 * @param <E> the experiment record of the kind
 */
interface Kind<E extends Experiment> {
    /** The runner of an experiment kind. */
    static Kind<?> of(ExperimentKind kind) {
        return switch (kind) {
            case DISTILL -> DistillKind.INSTANCE;
            case TRAIN -> TrainKind.INSTANCE;
            case CONVERT -> ConvertKind.INSTANCE;
        };
    }

    /** The experiment record of the kind. */
    Class<E> type();

    /** The plugin components the experiment's slots name (to read a resumed run's {@code config.yaml}). */
    List<RegisteredComponent> components(E experiment);

    /**
     * The memory each model and the data loader need; see {@link ExperimentMemory}.
     *
     * @throws IllegalArgumentException for model settings that no model can have
     */
    List<ExperimentMemory.Part> memory(E experiment, ImageShape input, int classes, OptionalInt trainImages,
                                       OptionalInt testImages);

    /**
     * Builds the models and creates and tries the plugin components (typed, from the injector's
     * {@link ComponentProviders}), writing nothing; the weights
     * files are read by the plan's {@link Plan#readWeights}.
     *
     * @throws RunSetupException naming the key or slot that cannot be used
     */
    Plan plan(E experiment, DataPreparation data, Seeds seeds, ComponentProviders components)
            throws RunSetupException;

    /**
     * What a kind's run does.
     *
     * @param phases the phases, run in order until one is stopped
     * @param resumeCheck what the kind checks, beyond the checkpoints' order, before a run is resumed
     * @param readWeights reads the weights files into the models: after a resumed run's checks (which
     *     say when a file changed since the run began) and before the run folder is written
     */
    record Plan(List<Phase> phases, ResumeCheck resumeCheck, WeightsReader readWeights) {
        public Plan {
            phases = List.copyOf(phases);
            Objects.requireNonNull(resumeCheck, "resumeCheck");
            Objects.requireNonNull(readWeights, "readWeights");
        }

        /** The models of the phases, in order, each once: the order of the run's metrics and result. */
        List<String> models() {
            return phases.stream().map(Phase::model).distinct().toList();
        }
    }

    /** Reads a kind's weights files into its models. */
    @FunctionalInterface
    interface WeightsReader {
        WeightsReader NONE = () -> { };

        /** @throws RunSetupException naming the weights key when a file cannot be read or does not fit */
        void read() throws RunSetupException;
    }

    /** A kind's own condition for resuming a run. */
    @FunctionalInterface
    interface ResumeCheck {
        ResumeCheck NONE = resumption -> { };

        /** @throws RunSetupException saying why the run cannot be resumed */
        void check(Resumption resumption) throws RunSetupException;
    }
}
