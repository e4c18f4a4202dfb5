package io.spikeforge.runner.config;

import io.spikeforge.engine.data.DatasetKind;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The {@code dataset} section's rules that come from the data set registry ({@link DatasetKind}):
 * the default folder, and augmentation that suits the images.
 */
final class DatasetRules {
    private DatasetRules() {
    }

    /** How {@code dataset.path} defaults, for the docs: the data sets with a default folder. */
    static String defaultPathDocs() {
        return Arrays.stream(DatasetKind.values()).filter(kind -> kind.defaultFolder().isPresent())
                .map(kind -> "`" + kind.defaultFolder().get() + "` for `" + kind.id() + "`")
                .collect(Collectors.joining(", ")) + "; required for the others";
    }

    /**
     * The default folder (a {@code Path}) of the named data set; null where it has none, which
     * {@link #pathGivenWhereRequired} reports.
     */
    static Object defaultPath(ResolvedSection dataset, ResolvedSection root) {
        if (!dataset.isValid("name")) {
            return null;
        }
        return dataset.get("name", DatasetKind.class).defaultFolder().orElse(null);
    }

    /** {@code dataset.path} is required for a data set without a default folder. */
    static void pathGivenWhereRequired(ResolvedSection dataset, ConfigErrors errors) {
        if (!dataset.isValid("name") || dataset.isValid("path") || dataset.given("path").isPresent()
                && !isNull(dataset.given("path").get())) {
            return;
        }
        DatasetKind kind = dataset.get("name", DatasetKind.class);
        errors.add(dataset.keyLocation("path"), dataset.pathOf("path"), "is required for " + kind.id()
                + ", which has no default folder: expected the folder of " + kind.displayName() + "'s files ("
                + kind.expectation() + ")");
    }

    private static boolean isNull(ConfigNode value) {
        return value instanceof ConfigNode.Scalar scalar && scalar.isNull();
    }

    /**
     * The crop padding fits the images, and a horizontal flip is a warning for images whose mirror
     * image shows something else (digits, characters).
     */
    static void augmentationSuitsTheImages(ResolvedSection dataset, ConfigErrors errors) {
        if (!dataset.isValid("name") || !dataset.isValid("augment")) {
            return;
        }
        DatasetKind kind = dataset.get("name", DatasetKind.class);
        ResolvedSection augment = dataset.section("augment");
        if (augment.isValid("random_crop_padding") && augment.intValue("random_crop_padding") > kind.shape().side()) {
            errors.add(augment.keyLocation("random_crop_padding"), augment.pathOf("random_crop_padding"),
                    augment.intValue("random_crop_padding") + " is more than the side of " + kind.id() + "'s images ("
                            + kind.shape().side() + " pixels); expected 0.." + kind.shape().side());
        }
        if (!kind.mirrorInvariant() && augment.isValid("horizontal_flip") && augment.booleanValue("horizontal_flip")) {
            errors.warn(augment.keyLocation("horizontal_flip"), augment.pathOf("horizontal_flip"),
                    (augment.given("horizontal_flip").isPresent() ? "is true" : "is true by default") + ": it mirrors "
                            + kind.id() + "'s images left-right, which turns " + kind.displayName()
                            + "'s characters into shapes of no class; set it to false");
        }
    }
}
