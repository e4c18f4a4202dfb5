package io.spikeforge.runner.config;

import io.spikeforge.engine.model.BatchNormMode;
import io.spikeforge.engine.model.BlockType;
import java.net.URI;
import java.time.Duration;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/** Builds the {@link Experiment} records from a resolved tree that validated without problems. */
final class ExperimentBinder {
    private ExperimentBinder() {
    }

    static Experiment bind(ResolvedSection root) {
        ResolvedSection teacher = root.section("teacher");
        return new Experiment(
                info(root.section("experiment")),
                dataset(root.section("dataset")),
                new TeacherConfig(model(teacher.section("model")), teacher.optional("weights", Path.class),
                        training(teacher.section("training"))),
                new StudentConfig(model(root.section("student").section("model"))),
                root.get("neuron", ComponentSlot.class),
                root.get("surrogate", ComponentSlot.class),
                root.optional("initialization", ComponentSlot.class),
                root.optional("distillation", ComponentSlot.class),
                training(root.section("training")),
                tracking(root.section("tracking")),
                outputs(root.section("outputs")));
    }

    private static ExperimentInfo info(ResolvedSection s) {
        return new ExperimentInfo(s.get("name", String.class), s.longValue("seed"), s.get("description", String.class));
    }

    private static DatasetConfig dataset(ResolvedSection s) {
        ResolvedSection augment = s.section("augment");
        return new DatasetConfig(s.get("name", DatasetName.class), s.get("path", Path.class),
                new AugmentConfig(augment.intValue("random_crop_padding"), augment.booleanValue("horizontal_flip")),
                s.booleanValue("normalize"), optionalInt(s, "train_limit"), optionalInt(s, "test_limit"));
    }

    private static ModelConfig model(ResolvedSection s) {
        Architecture architecture = s.get("architecture", Architecture.class);
        Optional<SpikingOptions> spiking = architecture == Architecture.SPIKING_RESNET
                ? Optional.of(new SpikingOptions(s.get("block", BlockType.class), s.intValue("timesteps"),
                        s.get("batch_norm", BatchNormMode.class)))
                : Optional.empty();
        return new ModelConfig(architecture, s.intValue("depth"), s.intList("widths"), s.intList("blocks_per_stage"),
                spiking);
    }

    private static TrainingConfig training(ResolvedSection s) {
        ResolvedSection o = s.section("optimizer");
        OptimizerConfig optimizer = new OptimizerConfig(o.get("name", OptimizerName.class), o.doubleValue("lr"),
                o.doubleValue("momentum"), o.doubleValue("weight_decay"), o.booleanValue("nesterov"));
        ResolvedSection d = s.section("divergence");
        return new TrainingConfig(s.intValue("epochs"), s.intValue("batch_size"), optimizer,
                schedule(s.section("schedule")), new DivergenceConfig(d.booleanValue("enabled"),
                        d.doubleValue("loss_factor"), d.intValue("steps")));
    }

    private static ScheduleConfig schedule(ResolvedSection s) {
        String name = s.get("name", String.class);
        switch (name) {
            case ExperimentSchema.MULTISTEP:
                return new ScheduleConfig.MultiStep(s.intList("milestones"), s.doubleValue("gamma"));
            case ExperimentSchema.STEP:
                return new ScheduleConfig.Step(s.intValue("every"), s.doubleValue("gamma"));
            case ExperimentSchema.COSINE:
                return new ScheduleConfig.Cosine(s.doubleValue("min_lr"));
            case ExperimentSchema.CONSTANT:
                return new ScheduleConfig.Constant();
            default:
                throw new IllegalStateException("schedule '" + name + "' has no record");
        }
    }

    private static TrackingConfig tracking(ResolvedSection s) {
        return new TrackingConfig(s.booleanValue("enabled"), s.optional("uri", URI.class),
                s.get("experiment", String.class), Duration.ofSeconds(s.get("delivery_timeout", Long.class)));
    }

    private static OutputsConfig outputs(ResolvedSection s) {
        return new OutputsConfig(s.get("dir", Path.class), s.intValue("checkpoint_every"));
    }

    private static OptionalInt optionalInt(ResolvedSection s, String key) {
        return s.optional(key, Long.class).map(v -> OptionalInt.of(Math.toIntExact(v))).orElse(OptionalInt.empty());
    }
}
