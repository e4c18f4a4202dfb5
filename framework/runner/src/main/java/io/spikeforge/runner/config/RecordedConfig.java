package io.spikeforge.runner.config;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A run's resolved configuration ({@code config.yaml}) as the Spikeforge that wrote it understood
 * it, so that a run folder of an earlier version can be resumed. Earlier versions built a model's
 * {@code blocks_per_stage} whatever its {@code depth} said (the quickstart wrote {@code depth: 20}
 * with {@code [1, 1, 1]}, a ResNet-8); today the two must agree. Such a recorded depth is read as
 * the depth its blocks make, with a warning: the model is the one the run trained, and its
 * checkpoints fit it.
 */
final class RecordedConfig {
    private static final List<String> MODELS = List.of("teacher", "student");

    private RecordedConfig() {
    }

    /** The tree with each model's depth made to agree with its blocks where they disagree. */
    static ConfigNode.Mapping asBuilt(ConfigNode.Mapping tree, ConfigErrors errors) {
        ConfigNode.Mapping result = tree;
        for (String role : MODELS) {
            Optional<ConfigNode.Entry> section = result.entry(role);
            if (section.isEmpty() || !(section.get().value() instanceof ConfigNode.Mapping roleMapping)) {
                continue;
            }
            Optional<ConfigNode.Entry> model = roleMapping.entry("model");
            if (model.isEmpty() || !(model.get().value() instanceof ConfigNode.Mapping modelMapping)) {
                continue;
            }
            Optional<ConfigNode.Mapping> built = depthAsBuilt(modelMapping, role + ".model", errors);
            if (built.isPresent()) {
                ConfigNode.Entry modelEntry = new ConfigNode.Entry("model", model.get().keyLocation(), built.get());
                result = result.with(new ConfigNode.Entry(role, section.get().keyLocation(),
                        roleMapping.with(modelEntry)));
            }
        }
        return result;
    }

    /** The model section with the depth its blocks make, when a recorded depth disagrees with them. */
    private static Optional<ConfigNode.Mapping> depthAsBuilt(ConfigNode.Mapping model, String path,
                                                             ConfigErrors errors) {
        Optional<ConfigNode.Entry> depth = model.entry("depth");
        Optional<ConfigNode.Entry> blocks = model.entry("blocks_per_stage");
        if (depth.isEmpty() || blocks.isEmpty() || integer(depth.get().value()).isEmpty()
                || !(blocks.get().value() instanceof ConfigNode.Sequence list)) {
            return Optional.empty();
        }
        long sum = 0;
        for (ConfigNode item : list.items()) {
            OptionalInt count = integer(item);
            if (count.isEmpty()) {
                return Optional.empty(); // not what a Spikeforge wrote: validation reports it
            }
            sum += count.getAsInt();
        }
        long made = 2 * sum + 2;
        int recorded = integer(depth.get().value()).getAsInt();
        if (made == recorded || made > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        errors.warn(depth.get().keyLocation(), path + ".depth", "is " + recorded + " with blocks_per_stage "
                + YamlText.scalar(ConfigNode.toPlain(list)) + ", as an earlier Spikeforge wrote it, which built"
                + " those blocks: read as depth " + made + ", the model this run trained");
        ConfigNode.Scalar asBuilt = new ConfigNode.Scalar((int) made, Long.toString(made),
                depth.get().value().location());
        return Optional.of(model.with(new ConfigNode.Entry("depth", depth.get().keyLocation(), asBuilt)));
    }

    /** A scalar's value when it is an integer as YAML reads small ones. */
    private static OptionalInt integer(ConfigNode node) {
        return node instanceof ConfigNode.Scalar scalar && scalar.value() instanceof Integer value
                ? OptionalInt.of(value) : OptionalInt.empty();
    }
}
