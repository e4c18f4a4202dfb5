package io.spikeforge.runner.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns an {@link Experiment} back into its keys and values, in schema order, for
 * {@link Experiment#toYaml()} and {@link Experiment#flatten()}.
 */
final class ExperimentWriter {
    private ExperimentWriter() {
    }

    static String toYaml(Experiment experiment) {
        return YamlText.write(forYaml(tree(experiment)));
    }

    static Map<String, String> flatten(Experiment experiment) {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", tree(experiment), flat);
        return flat;
    }

    /** Slots stay {@code Optional<ComponentSlot>}; everything else is a scalar, a list or a nested map. */
    private static Map<String, Object> tree(Experiment x) {
        Map<String, Object> root = new LinkedHashMap<>();
        ExperimentInfo info = x.experiment();
        root.put("experiment", map("name", info.name(), "seed", info.seed(), "description", info.description()));
        DatasetConfig dataset = x.dataset();
        root.put("dataset", map(
                "name", dataset.name(),
                "path", dataset.path(),
                "augment", map("random_crop_padding", dataset.augment().randomCropPadding(),
                        "horizontal_flip", dataset.augment().horizontalFlip()),
                "normalize", dataset.normalize(),
                "train_limit", dataset.trainLimit().isPresent() ? dataset.trainLimit().getAsInt() : null,
                "test_limit", dataset.testLimit().isPresent() ? dataset.testLimit().getAsInt() : null));
        root.put("teacher", map(
                "model", model(x.teacher().model()),
                "weights", x.teacher().weights().orElse(null),
                "training", training(x.teacher().training())));
        root.put("student", map("model", model(x.student().model())));
        root.put("neuron", Optional.of(x.neuron()));
        root.put("surrogate", Optional.of(x.surrogate()));
        root.put("initialization", x.initialization());
        root.put("distillation", x.distillation());
        root.put("training", training(x.training()));
        root.put("tracking", map(
                "enabled", x.tracking().enabled(),
                "uri", x.tracking().uri().orElse(null),
                "experiment", x.tracking().experiment()));
        root.put("outputs", map("dir", x.outputs().dir(), "checkpoint_every", x.outputs().checkpointEvery()));
        return root;
    }

    private static Map<String, Object> model(ModelConfig model) {
        Map<String, Object> out = map("architecture", model.architecture(), "depth", model.depth(),
                "widths", model.widths(), "blocks_per_stage", model.blocksPerStage());
        model.spiking().ifPresent(spiking -> {
            out.put("block", spiking.block());
            out.put("timesteps", spiking.timesteps());
            out.put("batch_norm", spiking.batchNorm());
        });
        return out;
    }

    private static Map<String, Object> training(TrainingConfig training) {
        OptimizerConfig o = training.optimizer();
        return map(
                "epochs", training.epochs(),
                "batch_size", training.batchSize(),
                "optimizer", map("name", o.name(), "lr", o.lr(), "momentum", o.momentum(),
                        "weight_decay", o.weightDecay(), "nesterov", o.nesterov()),
                "schedule", schedule(training.schedule()),
                "divergence", map("enabled", training.divergence().enabled(),
                        "loss_factor", training.divergence().lossFactor(), "steps", training.divergence().steps()));
    }

    private static Map<String, Object> schedule(ScheduleConfig schedule) {
        Map<String, Object> out = map("name", schedule.name());
        if (schedule instanceof ScheduleConfig.MultiStep multiStep) {
            out.put("milestones", multiStep.milestones());
            out.put("gamma", multiStep.gamma());
        } else if (schedule instanceof ScheduleConfig.Step step) {
            out.put("gamma", step.gamma());
            out.put("every", step.every());
        } else if (schedule instanceof ScheduleConfig.Cosine cosine) {
            out.put("min_lr", cosine.minLr());
        }
        return out;
    }

    private static Map<String, Object> forYaml(Map<?, ?> tree) {
        Map<String, Object> out = new LinkedHashMap<>();
        tree.forEach((key, value) -> {
            if (value instanceof Optional<?> slot) {
                out.put((String) key, slot.map(s -> slotBlock((ComponentSlot) s)).orElse(SlotType.DISABLED));
            } else if (value instanceof Map<?, ?> nested) {
                out.put((String) key, forYaml(nested));
            } else {
                out.put((String) key, value);
            }
        });
        return out;
    }

    /** The id, the plugin that supplied the component, and every parameter the component uses. */
    private static Object slotBlock(ComponentSlot slot) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put(SlotType.ID_KEY, slot.id());
        block.put(SlotType.PLUGIN_KEY, slot.component().pluginId());
        block.put(SlotType.PLUGIN_VERSION_KEY, slot.component().pluginVersion());
        block.putAll(slot.parameters().asMap());
        return block;
    }

    private static void flatten(String prefix, Map<?, ?> tree, Map<String, String> out) {
        tree.forEach((key, value) -> {
            String path = prefix + key;
            if (value instanceof Optional<?> slot) {
                if (slot.isPresent()) {
                    out.putAll(((ComponentSlot) slot.get()).provenance().flatten(path));
                } else {
                    out.put(path + "." + SlotType.ID_KEY, SlotType.DISABLED);
                }
            } else if (value instanceof Map<?, ?> nested) {
                flatten(path + ".", nested, out);
            } else {
                out.put(path, YamlText.text(value));
            }
        });
    }

    /** An ordered map from alternating keys and values; values may be null. */
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }
}
