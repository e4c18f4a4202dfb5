package io.spikeforge.runner.pipeline;

import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.neuron.NeuronModelProvider;
import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.api.neuron.SurrogateFunctionProvider;
import io.spikeforge.engine.model.BatchNormMode;
import io.spikeforge.engine.model.BlockType;
import io.spikeforge.engine.model.ResNet;
import io.spikeforge.engine.train.DivergenceRule;
import io.spikeforge.engine.train.LearningRateSchedule;
import io.spikeforge.engine.train.Sgd;
import io.spikeforge.runner.config.ComponentSlot;
import io.spikeforge.runner.config.DivergenceConfig;
import io.spikeforge.runner.config.ModelConfig;
import io.spikeforge.runner.config.ResidualBlock;
import io.spikeforge.runner.config.ScheduleConfig;
import io.spikeforge.runner.config.SpikingOptions;
import io.spikeforge.runner.config.TrainingConfig;
import java.util.List;

/** Engine objects from configuration records: models, optimizers, schedules, divergence rules. */
final class ModelFactory {
    private ModelFactory() {
    }

    /**
     * A ResNet as the model section describes it; a spiking one gets a neuron per spiking layer from
     * the neuron slot, each with the surrogate of the surrogate slot.
     */
    static ResNet build(ModelConfig model, int classes, long seed, ComponentSlot neuron, ComponentSlot surrogate) {
        return builder(model, classes, seed, neuron, surrogate).build();
    }

    /** The settings {@link #build} makes a model from, for estimates before anything is allocated. */
    static ResNet.Builder builder(ModelConfig model, int classes, long seed, ComponentSlot neuron,
                                  ComponentSlot surrogate) {
        ResNet.Builder builder = ResNet.builder().optDepth(model.depth()).optWidths(ints(model.widths()))
                .optBlocksPerStage(ints(model.blocksPerStage())).optClasses(classes).optSeed(seed);
        if (model.spiking().isPresent()) {
            SpikingOptions spiking = model.spiking().get();
            NeuronModelProvider neurons = (NeuronModelProvider) neuron.component().provider();
            ResolvedParameters neuronParameters = neuron.parameters();
            SurrogateFunction derivative = ((SurrogateFunctionProvider) surrogate.component().provider())
                    .create(surrogate.parameters());
            builder.optSpiking(layer -> neurons.create(neuronParameters, derivative), spiking.timesteps())
                    .optBlockType(spiking.block() == ResidualBlock.SEW_ADD ? BlockType.SEW_ADD : BlockType.SPIKING_BASIC)
                    .optBatchNorm(spiking.batchNorm() == io.spikeforge.runner.config.BatchNormMode.TDBN
                            ? BatchNormMode.TDBN : BatchNormMode.BN);
        }
        return builder;
    }

    /** The optimizer of a training section (SGD is the only one). */
    static Sgd optimizer(TrainingConfig training) {
        return new Sgd(training.optimizer().momentum(), training.optimizer().weightDecay(),
                training.optimizer().nesterov());
    }

    /** When a finite loss of a training section counts as diverging. */
    static DivergenceRule divergence(TrainingConfig training) {
        DivergenceConfig divergence = training.divergence();
        return divergence.enabled() ? new DivergenceRule(divergence.lossFactor(), divergence.steps())
                : DivergenceRule.OFF;
    }

    /** The learning rate of each epoch of a training section. */
    static LearningRateSchedule schedule(TrainingConfig training) {
        double lr = training.optimizer().lr();
        ScheduleConfig schedule = training.schedule();
        if (schedule instanceof ScheduleConfig.MultiStep multiStep) {
            return LearningRateSchedule.multiStep(lr, ints(multiStep.milestones()), multiStep.gamma());
        } else if (schedule instanceof ScheduleConfig.Step step) {
            return LearningRateSchedule.step(lr, step.every(), step.gamma());
        } else if (schedule instanceof ScheduleConfig.Cosine cosine) {
            return LearningRateSchedule.cosine(lr, cosine.minLr(), training.epochs());
        }
        return LearningRateSchedule.constant(lr);
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
