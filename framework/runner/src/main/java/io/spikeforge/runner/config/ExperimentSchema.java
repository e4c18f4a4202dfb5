package io.spikeforge.runner.config;

import static io.spikeforge.runner.config.SchemaKey.computed;
import static io.spikeforge.runner.config.SchemaKey.optional;
import static io.spikeforge.runner.config.SchemaKey.required;
import static io.spikeforge.runner.config.SchemaKey.section;
import static io.spikeforge.runner.config.SchemaKey.slot;
import static io.spikeforge.runner.config.SchemaKey.withDefault;

import io.spikeforge.api.component.ComponentKind;
import io.spikeforge.api.config.BooleanType;
import io.spikeforge.api.config.ChoiceType;
import io.spikeforge.api.config.IntegerType;
import io.spikeforge.api.config.NumberType;
import io.spikeforge.api.config.StringType;
import io.spikeforge.api.convert.ThresholdGranularity;
import io.spikeforge.engine.convert.NeuronPlacement;
import io.spikeforge.engine.data.DatasetKind;
import io.spikeforge.engine.model.BatchNormMode;
import io.spikeforge.engine.model.BlockType;
import io.spikeforge.engine.model.Pooling2d;
import io.spikeforge.runner.config.ConfigValueTypes.HttpUrlType;
import io.spikeforge.runner.config.ConfigValueTypes.IntegerChoiceType;
import io.spikeforge.runner.config.ConfigValueTypes.PathType;
import io.spikeforge.tracking.TrackingOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The experiment schema: every section and key with its type, default, allowed values and
 * description. The single definition behind validation, defaults and {@code docs/experiments.md}.
 */
final class ExperimentSchema {
    static final String MULTISTEP = "multistep";
    static final String STEP = "step";
    static final String COSINE = "cosine";
    static final String CONSTANT = "constant";

    private static final List<Long> FOUR_STAGE_DEPTHS = List.of(18L, 34L);
    private static final List<Long> THREE_STAGE_DEPTHS = List.of(8L, 14L, 20L, 32L, 44L, 56L, 110L);
    private static final List<Long> FOUR_STAGE_WIDTHS = List.of(64L, 128L, 256L, 512L);
    private static final List<Long> THREE_STAGE_WIDTHS = List.of(16L, 32L, 64L);
    private static final List<Long> VGG_DEPTHS = List.of(11L, 16L);
    /** The most time-steps a converted network is run for. */
    static final int MAX_TIME_STEPS = 1024;

    private static final SchemaSection EXPERIMENT = SchemaSection.of(
            required("name", StringType.matching("[A-Za-z0-9._-]+", "a name of letters, digits, '.', '_' or '-'"),
                    "Name of the experiment; names the run folders and, by default, the MLflow experiment."),
            withDefault("seed", IntegerType.ofLong().optMin(0, true), 42L,
                    "Seed of every random number generator (weights, data order, augmentation)."),
            withDefault("description", StringType.any(), "", "Free text recorded with the run."));

    private static final SchemaSection AUGMENT = SchemaSection.of(
            withDefault("random_crop_padding", IntegerType.ofInt().optMin(0, true), 4L,
                    "Zero padding in pixels before a random crop back to the image size; 0 disables cropping."),
            withDefault("horizontal_flip", BooleanType.of(), true,
                    "Flip training images left-right with probability 1/2. Set it to false for `mnist` and"
                            + " `kmnist`, whose mirrored characters are no characters (a warning says so)."));

    private static final SchemaSection DATASET = SchemaSection.of(
            required("name", ChoiceType.of(DatasetKind.values()),
                    "The data set ([the list](data.md#data-sets)): its images' channels and size set the models'"
                            + " input. `synthetic` is made by `spikeforge data synth`, in the CIFAR-10 or CIFAR-100"
                            + " binary format (`spikeforge run` generates a 10-class one with 5,000 training and 1,000"
                            + " test images, seeded by `experiment.seed`, when `path` does not exist)."),
            computed("path", new PathType(),
                    new DefaultValue.Computed(DatasetRules.defaultPathDocs(), DatasetRules::defaultPath),
                    "Folder with the data set's files; a relative path resolves against the current"
                            + " working directory. A file there, or a data file that is a folder, is an error; a"
                            + " folder or data file that does not exist (yet) is a warning."),
            section("augment", AUGMENT, "Training-time augmentation; test images are never augmented."),
            withDefault("normalize", BooleanType.of(), true,
                    "Normalize each channel with the training set's mean and standard deviation."),
            optional("train_limit", IntegerType.ofInt().optMin(1, true), "Use only the first N training images."),
            optional("test_limit", IntegerType.ofInt().optMin(1, true), "Use only the first N test images."))
            .withRule(DatasetRules::pathGivenWhereRequired)
            .withRule(DatasetRules::augmentationSuitsTheImages)
            .withRule(PathChecks::dataset);

    private static final SchemaSection OPTIMIZER = SchemaSection.of(
            withDefault("name", ChoiceType.of(OptimizerName.values()), OptimizerName.SGD, "The optimizer."),
            withDefault("lr", NumberType.any().optMin(0, false), 0.05, "Initial learning rate."),
            withDefault("momentum", NumberType.any().optMin(0, true).optMax(1, false), 0.9, "Momentum factor."),
            withDefault("weight_decay", NumberType.any().optMin(0, true), 1.0e-4,
                    "L2 penalty added to the gradient (coupled, as in PyTorch's SGD)."),
            withDefault("nesterov", BooleanType.of(), false, "Use Nesterov momentum (needs `momentum` > 0)."))
            .withRule(ExperimentSchema::nesterovNeedsMomentum);

    private static final SchemaSection SCHEDULE = SchemaSection.of(
            withDefault("name", ChoiceType.ofWords(MULTISTEP, STEP, COSINE, CONSTANT), MULTISTEP,
                    "`multistep`: multiply by `gamma` at each milestone; `step`: multiply by `gamma` every `every`"
                            + " epochs; `cosine`: cosine annealing down to `min_lr`; `constant`: no change."),
            withDefault("milestones", new KeyType.IntegerList(IntegerType.ofInt().optMin(1, true), true),
                    List.of(60L, 120L, 160L),
                    "Epochs at which the rate is multiplied by `gamma`; each must be below `epochs`.")
                    .onlyWhen("name", MULTISTEP),
            withDefault("gamma", NumberType.any().optMin(0, false).optMax(1, true), 0.1,
                    "Factor applied at each decay.")
                    .onlyWhen("name", MULTISTEP, STEP),
            withDefault("every", IntegerType.ofInt().optMin(1, true), 60L, "Epochs between decays.").onlyWhen("name", STEP),
            withDefault("min_lr", NumberType.any().optMin(0, true), 0.0,
                    "Learning rate reached at the last epoch, at most `optimizer.lr`.")
                    .onlyWhen("name", COSINE));

    private static final SchemaSection DIVERGENCE = SchemaSection.of(
            withDefault("enabled", BooleanType.of(), true,
                    "End the run when the training loss diverges while staying finite (a NaN or infinite loss"
                            + " always ends it)."),
            withDefault("loss_factor", NumberType.any().optMin(1, false), 100.0,
                    "The loss diverges when it stays above `loss_factor` x the larger of ln(classes) and the"
                            + " loss of the training's first step (ln(classes) is the loss of a uniform guess:"
                            + " 100 x ln 10 = 230) for `steps` steps in a row."),
            withDefault("steps", IntegerType.ofInt().optMin(1, true), 5L,
                    "Consecutive training steps above that bound that end the run."));

    /** Shared by the student's {@code training} and the teacher's {@code teacher.training}. */
    private static final SchemaSection TRAINING = SchemaSection.of(
            withDefault("epochs", IntegerType.ofInt().optMin(1, true), 200L, "Passes over the training set."),
            withDefault("batch_size", IntegerType.ofInt().optMin(1, true), 64L, "Images per optimization step."),
            section("optimizer", OPTIMIZER, "The optimizer."),
            section("schedule", SCHEDULE, "The learning-rate schedule."),
            section("divergence", DIVERGENCE, "When a diverging loss ends the run ([the rule](engine.md#a-diverging-loss))."))
            .withRule(ExperimentSchema::milestonesBelowEpochs)
            .withRule(ExperimentSchema::minimumRateBelowRate);

    private static final SchemaSection TEACHER = SchemaSection.of(
            section("model", model(List.of(Architecture.RESNET, Architecture.VGG), 34L,
                            "An ANN: `resnet` or `vgg`."),
                    "The teacher network: a CIFAR-style ResNet (3x3 stem) or VGG."),
            optional("weights", new PathType(),
                    "A .safetensors file (weights, or a run's checkpoint); when set the teacher is loaded, not"
                            + " trained. A folder or another kind of file is an error, a file that does not exist"
                            + " (yet) a warning."),
            section("training", TRAINING, "How the teacher is trained when no `weights` are given."))
            .withRule(PathChecks::teacherWeights);

    private static final SchemaSection STUDENT = SchemaSection.of(
            section("model", model(List.of(Architecture.SPIKING_RESNET, Architecture.RESNET, Architecture.SPIKING_VGG,
                            Architecture.VGG), 18L, "`spiking-resnet`, `spiking-vgg`, or `resnet` or `vgg` for an ANN"
                            + " student (baselines)."),
                    "The student network: a CIFAR-style ResNet (3x3 stem) or VGG, spiking or not."));

    private static final SchemaSection TRACKING = SchemaSection.of(
            withDefault("enabled", BooleanType.of(), true, "Record parameters, metrics and artifacts."),
            optional("uri", new HttpUrlType(),
                    "Tracking server; when unset, `MLFLOW_TRACKING_URI` or a local `./mlruns` store is used."),
            computed("experiment", StringType.matching("(?s).*\\S.*", "a non-blank string"),
                    new DefaultValue.Computed("the value of `experiment.name`", ExperimentSchema::experimentName),
                    "MLflow experiment the runs are recorded under."),
            withDefault("delivery_timeout", IntegerType.ofInt().optMin(0, true),
                    TrackingOptions.DEFAULT_DELIVERY_TIMEOUT.toSeconds(),
                    "Seconds the end of a run waits at most for its last records to reach the tracking server, "
                            + "all requests together; what is left waits in the spool for `spikeforge mlflow sync`."));

    private static final SchemaSection OUTPUTS = SchemaSection.of(
            withDefault("dir", new PathType(), Path.of("runs"),
                    "Folder for run folders, created when missing; a relative path resolves against the current"
                            + " working directory. A file there, or above it, is an error."),
            withDefault("checkpoint_every", IntegerType.ofInt().optMin(1, true), 1L,
                    "Epochs between the checkpoints `--resume` starts from (also after the last epoch; the best"
                            + " epoch is always kept)."))
            .withRule(PathChecks::outputs);

    private static final SchemaKey KIND_KEY = withDefault("kind", ChoiceType.of(ExperimentKind.values()),
            ExperimentKind.DEFAULT, "What the experiment does, which decides its other keys: `distill` (an ANN"
                    + " teacher, then a spiking student initialized from it and trained with distillation), `train`"
                    + " (one model trained directly) or `convert` (an ANN, trained or loaded, converted into a spiking"
                    + " network). A file without `kind` is a `distill` experiment.");

    private static final SchemaKey NEURON = slot("neuron", new SlotType(ComponentKind.NEURON_MODEL, false, "lif"),
            "The spiking neuron model and its parameters.");
    private static final SchemaKey SURROGATE = slot("surrogate",
            new SlotType(ComponentKind.SURROGATE_FUNCTION, false, "rectangular"),
            "The surrogate gradient that stands in for the spike's derivative.");

    /** An experiment of kind {@code distill}, the default. */
    static final SchemaSection DISTILL = SchemaSection.of(
            KIND_KEY,
            section("experiment", EXPERIMENT, "What the run is called and how it is seeded."),
            section("dataset", DATASET, "Which images to train and test on."),
            section("teacher", TEACHER, "The ANN teacher whose knowledge the student receives."),
            section("student", STUDENT, "The network being trained; its training is the top-level `training`."),
            NEURON,
            SURROGATE,
            slot("initialization", new SlotType(ComponentKind.INITIALIZATION_STRATEGY, true, null),
                    "How the student is initialized from the teacher's weights; `none` keeps random weights."),
            slot("distillation", new SlotType(ComponentKind.DISTILLATION_LOSS, true, null),
                    "The distillation loss added to cross-entropy; `none` trains with cross-entropy alone."),
            section("training", TRAINING,
                    "How the student is trained: epochs, batch size, optimizer and learning-rate schedule."),
            section("tracking", TRACKING, "MLflow tracking."),
            section("outputs", OUTPUTS, "Where run folders and checkpoints go."));

    /** An experiment of kind {@code train}. */
    static final SchemaSection TRAIN = SchemaSection.of(
            KIND_KEY,
            section("experiment", EXPERIMENT, "What the run is called and how it is seeded."),
            section("dataset", DATASET, "Which images to train and test on."),
            section("model", model(List.of(Architecture.RESNET, Architecture.SPIKING_RESNET, Architecture.VGG,
                            Architecture.SPIKING_VGG), null, "`resnet`, `spiking-resnet`, `vgg` or `spiking-vgg`."),
                    "The network trained: a CIFAR-style ResNet (3x3 stem) or VGG, ANN or spiking."),
            optional("weights", new PathType(),
                    "A .safetensors file (weights, or a run's checkpoint) the model starts from instead of its random"
                            + " initial weights. A folder or another kind of file is an error, a file that does not"
                            + " exist (yet) a warning."),
            NEURON,
            SURROGATE,
            section("training", TRAINING,
                    "How the model is trained with cross-entropy: epochs, batch size, optimizer and learning-rate"
                            + " schedule."),
            section("tracking", TRACKING, "MLflow tracking."),
            section("outputs", OUTPUTS, "Where run folders and checkpoints go."))
            .withRule(PathChecks::teacherWeights);

    private static final IntegerType TIME_STEP = IntegerType.ofInt().optRange(1, MAX_TIME_STEPS);

    private static final SchemaSection ANALYSIS = SchemaSection.of(
            withDefault("images", IntegerType.ofInt().optMin(1, true), 256L,
                    "The first N test images (not augmented) the error analysis runs the ANN and the converted network"
                            + " on ([the quantities](conversion.md#error-analysis))."),
            optional("time_steps", new KeyType.IntegerList(TIME_STEP, true),
                    "The time-steps T the analysis is reported for; unset: each of `conversion.time_steps`."));

    private static final SchemaSection CONVERSION = SchemaSection.of(
            slot("thresholds", new SlotType(ComponentKind.THRESHOLD_STRATEGY, false, "percentile"),
                    "The threshold strategy that sets each spiking layer's firing threshold from the calibration"
                            + " data (`max`, `percentile`, `mse-search`, `ttrbr`, `activation`)."),
            withDefault("granularity", ChoiceType.of(ThresholdGranularity.values()), ThresholdGranularity.LAYER,
                    "`layer`: one threshold per spiking layer; `channel`: one per channel."),
            withDefault("initial_membrane", NumberType.any().optMin(0, true).optMax(1, false), 0.5,
                    "Each IF neuron's membrane potential before the first step, as a fraction of its threshold"
                            + " (0.5: half the threshold, as SNN Calibration and QCFS; 0: empty)."),
            withDefault("placement", ChoiceType.of(NeuronPlacement.values()), NeuronPlacement.AFTER_ADDITION,
                    "Where a ResNet's spiking neurons sit in each residual block ([placements](conversion.md#placements)):"
                            + " `after-addition` (the ANN's activations only), `shortcut-neuron` (also one on the"
                            + " shortcut) or `branch-neurons` (also a signed one on the main branch before the"
                            + " addition). A VGG has no residual blocks: every placement converts it alike."),
            withDefault("calibration_batches", IntegerType.ofInt().optMin(1, true), 10L,
                    "Training batches (of `training.batch_size`, in order, not augmented) the thresholds are"
                            + " calibrated on."),
            withDefault("calibration_time_steps", TIME_STEP, 16L,
                    "The number of time-steps T the threshold strategy tunes the thresholds for (`mse-search`,"
                            + " `ttrbr`)."),
            withDefault("time_steps", new KeyType.IntegerList(TIME_STEP, true),
                    List.of(1L, 2L, 4L, 8L, 16L, 32L, 64L),
                    "The time-steps T the converted network's test accuracy is reported at; one pass runs to the"
                            + " largest, keeping one time-step's state."),
            section("analysis", ANALYSIS, "The error analysis: quantization and deviation error, input current and"
                    + " firing rate per spiking layer."));

    /** An experiment of kind {@code convert}. */
    static final SchemaSection CONVERT = SchemaSection.of(
            KIND_KEY,
            section("experiment", EXPERIMENT, "What the run is called and how it is seeded."),
            section("dataset", DATASET, "Which images to train, calibrate and test on."),
            section("model", model(List.of(Architecture.RESNET, Architecture.VGG), null, "An ANN: `resnet` or `vgg`."),
                    "The ANN that is converted: a CIFAR-style ResNet (3x3 stem) or VGG."),
            optional("weights", new PathType(),
                    "A .safetensors file (weights from PyTorch, or a Spikeforge run's weights or checkpoint); when"
                            + " set the ANN is loaded, not trained. A folder or another kind of file is an error, a"
                            + " file that does not exist (yet) a warning."),
            section("training", TRAINING,
                    "How the ANN is trained when no `weights` are given; its `batch_size` is also the calibration"
                            + " and evaluation batch size."),
            section("conversion", CONVERSION, "How the ANN becomes a spiking network and how that is evaluated."),
            section("tracking", TRACKING, "MLflow tracking."),
            section("outputs", OUTPUTS, "Where run folders and checkpoints go."))
            .withRule(PathChecks::teacherWeights)
            .withRule(ExperimentSchema::convertedVggPoolsByAverage);

    /** The schema of each kind's experiment file. */
    static SchemaSection root(ExperimentKind kind) {
        return switch (kind) {
            case DISTILL -> DISTILL;
            case TRAIN -> TRAIN;
            case CONVERT -> CONVERT;
        };
    }

    private ExperimentSchema() {
    }

    /** The schema key at a dotted path of section names in a kind's schema, if it declares one. */
    static Optional<SchemaKey> find(ExperimentKind kind, List<String> path) {
        SchemaSection section = root(kind);
        SchemaKey key = null;
        for (String name : path) {
            if (section == null) {
                return Optional.empty();
            }
            key = section.find(name).orElse(null);
            if (key == null) {
                return Optional.empty();
            }
            section = key.type() instanceof KeyType.Section nested ? nested.section() : null;
        }
        return Optional.ofNullable(key);
    }

    /** True when the dotted path names a component slot in any kind's schema. */
    static boolean isSlot(List<String> path) {
        for (ExperimentKind kind : ExperimentKind.values()) {
            if (find(kind, path).map(key -> key.type() instanceof SlotType).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    /** Number of stages of a CIFAR ResNet of the given depth. */
    static int stageCount(long depth) {
        return FOUR_STAGE_DEPTHS.contains(depth) ? 4 : 3;
    }

    /**
     * A model section offering the given families; the first is the default unless
     * {@code defaultDepth} is null, in which case family and depth are required.
     */
    private static SchemaSection model(List<Architecture> families, Long defaultDepth, String architectureDoc) {
        List<Long> depths = new ArrayList<>(FOUR_STAGE_DEPTHS);
        depths.addAll(THREE_STAGE_DEPTHS);
        boolean vggs = families.stream().anyMatch(a -> !a.resnet());
        if (vggs) {
            depths.addAll(VGG_DEPTHS);
        }
        ChoiceType architectures = ChoiceType.of(families.toArray(Architecture[]::new));
        String[] resnets = words(families, Architecture::resnet);
        String[] spiking = words(families, Architecture::spiking);
        String[] vgg = words(families, a -> !a.resnet());
        String[] spikingResnet = words(families, a -> a == Architecture.SPIKING_RESNET);
        String[] anns = words(families, a -> !a.spiking());
        String depthDoc = "ResNet depth: 18 and 34 have four stages, 8, 14, 20, 32, 44, 56 and 110 three (the CIFAR"
                + " family, (depth - 2) / 6 blocks per stage)" + (vggs ? "; VGG depth: 11 or 16." : ".");
        List<SchemaKey> keys = new ArrayList<>();
        if (defaultDepth == null) {
            keys.add(required("architecture", architectures, architectureDoc));
            keys.add(required("depth", new IntegerChoiceType(depths), depthDoc));
        } else {
            keys.add(withDefault("architecture", architectures, families.get(0), architectureDoc));
            keys.add(withDefault("depth", new IntegerChoiceType(depths), defaultDepth, depthDoc));
        }
        keys.add(computed("widths", new KeyType.IntegerList(IntegerType.ofInt().optMin(1, true), false),
                new DefaultValue.Computed("[64, 128, 256, 512] for four stages, [16, 32, 64] for three",
                        ExperimentSchema::defaultWidths),
                "Channels of each stage, one entry per stage of the depth.").onlyWhen("architecture", resnets));
        keys.add(computed("blocks_per_stage", new KeyType.IntegerList(IntegerType.ofInt().optMin(1, true), false),
                new DefaultValue.Computed("the depth's: [2, 2, 2, 2] for 18, [3, 4, 6, 3] for 34, (depth - 2) / 6"
                        + " in each stage for three stages", ExperimentSchema::defaultBlocksPerStage),
                "Residual blocks in each stage, one entry per stage, for another distribution of the depth's"
                        + " blocks: they must add up to (depth - 2) / 2 (for example [1, 2, 3, 2] for 18).")
                .onlyWhen("architecture", resnets));
        if (spikingResnet.length > 0) {
            keys.add(withDefault("block", ChoiceType.of(BlockType.values()), BlockType.SPIKING_BASIC,
                    "`spiking-basic` (IDSNN: neuron after the residual addition) or `sew-add` (spike-element-wise"
                            + " addition).").onlyWhen("architecture", spikingResnet));
        }
        if (spiking.length > 0) {
            keys.add(withDefault("timesteps", IntegerType.ofInt().optRange(1, 64), 4L,
                    "Time steps T each image is presented for (direct encoding).").onlyWhen("architecture", spiking));
            keys.add(withDefault("batch_norm", ChoiceType.of(BatchNormMode.values()), BatchNormMode.TDBN,
                    "`tdbn` (statistics over time, batch and space; each BN weight starts at the threshold of the"
                            + " neurons after it, such as `neuron.threshold`) or `bn` (weights start at 1).")
                    .onlyWhen("architecture", spiking));
        }
        keys.add(slot("activation", new SlotType(ComponentKind.ANN_ACTIVATION, true, null),
                "The ANN's activation, a plugin's in place of ReLU at every site (such as `{id: qcfs, levels: 4}`,"
                        + " trained for conversion); `none`, the default, is ReLU.").onlyWhen("architecture", anns));
        if (vggs) {
            keys.add(withDefault("pooling", ChoiceType.of(Pooling2d.Mode.values()), Pooling2d.Mode.MAX,
                    "2x2 pooling after each VGG stage: `max` or `average` (the usual choice for spiking VGGs).")
                    .onlyWhen("architecture", vgg));
        }
        return new SchemaSection(keys, List.of())
                .withRule(ExperimentSchema::depthSuitsArchitecture)
                .withRule(ExperimentSchema::widthsMatchDepth)
                .withRule(ExperimentSchema::blocksMatchDepth);
    }

    private static String[] words(List<Architecture> families, java.util.function.Predicate<Architecture> which) {
        return families.stream().filter(which).map(Architecture::yamlName).toArray(String[]::new);
    }

    /** A depth offered by one family only must match the chosen family. */
    private static void depthSuitsArchitecture(ResolvedSection model, ConfigErrors errors) {
        if (!model.isValid("architecture") || !model.isValid("depth")) {
            return;
        }
        Architecture architecture = model.get("architecture", Architecture.class);
        long depth = model.longValue("depth");
        List<Long> allowed = architecture.resnet() ? resnetDepths() : VGG_DEPTHS;
        if (!allowed.contains(depth)) {
            errors.add(model.keyLocation("depth"), model.pathOf("depth"), "is " + depth + ", which is no depth of "
                    + (architecture.resnet() ? "a ResNet" : "a VGG") + " (" + model.pathOf("architecture") + " is "
                    + architecture.yamlName() + "): expected one of " + allowed);
        }
    }

    private static List<Long> resnetDepths() {
        List<Long> depths = new ArrayList<>(FOUR_STAGE_DEPTHS);
        depths.addAll(THREE_STAGE_DEPTHS);
        return depths;
    }

    private static Object defaultWidths(ResolvedSection model, ResolvedSection root) {
        if (!model.isValid("depth") || !resnetDepths().contains(model.longValue("depth"))) {
            return null;
        }
        return stageCount(model.longValue("depth")) == 4 ? FOUR_STAGE_WIDTHS : THREE_STAGE_WIDTHS;
    }

    private static Object defaultBlocksPerStage(ResolvedSection model, ResolvedSection root) {
        // a VGG's depth given to a ResNet has no default: depthSuitsArchitecture reports it
        if (!model.isValid("depth") || !resnetDepths().contains(model.longValue("depth"))) {
            return null;
        }
        long depth = model.longValue("depth");
        if (depth == 18) {
            return List.of(2L, 2L, 2L, 2L);
        }
        if (depth == 34) {
            return List.of(3L, 4L, 6L, 3L);
        }
        long blocks = (depth - 2) / 6;
        return List.of(blocks, blocks, blocks);
    }

    private static Object experimentName(ResolvedSection tracking, ResolvedSection root) {
        if (!root.isValid("experiment") || !root.section("experiment").isValid("name")) {
            return null;
        }
        return root.section("experiment").value("name");
    }

    private static void widthsMatchDepth(ResolvedSection model, ConfigErrors errors) {
        if (!model.isValid("depth") || !model.isValid("widths")) {
            return;
        }
        long depth = model.longValue("depth");
        int stages = stageCount(depth);
        int given = model.intList("widths").size();
        if (given != stages) {
            errors.add(model.keyLocation("widths"), model.pathOf("widths"), "expected " + stages
                    + " widths for depth " + depth + " (one per stage), got " + given);
        }
    }

    /** Blocks written out must make the depth: one entry per stage, two layers each, plus stem and classifier. */
    private static void blocksMatchDepth(ResolvedSection model, ConfigErrors errors) {
        if (!model.isValid("depth") || !model.isValid("blocks_per_stage")) {
            return;
        }
        long depth = model.longValue("depth");
        int stages = stageCount(depth);
        List<Integer> blocks = model.intList("blocks_per_stage");
        ConfigLocation location = model.keyLocation("blocks_per_stage");
        String key = model.pathOf("blocks_per_stage");
        if (blocks.size() != stages) {
            errors.add(location, key, "expected " + stages + " entries for depth " + depth + " (one per stage), got "
                    + blocks.size());
            return;
        }
        long sum = blocks.stream().mapToLong(Integer::longValue).sum();
        if (2 * sum + 2 != depth) {
            String depthSource = model.given("depth").isPresent() ? "" : " (its default)";
            errors.add(location, key, blocks + " makes a ResNet-" + (2 * sum + 2) + " (2 x " + sum
                    + " blocks + 2), but " + model.pathOf("depth") + " is " + depth + depthSource + ": the blocks of"
                    + " depth " + depth + " add up to " + (depth - 2) / 2 + ", for example "
                    + defaultBlocksPerStage(model, null) + "; make the two agree or leave blocks_per_stage out");
        }
    }

    private static void milestonesBelowEpochs(ResolvedSection training, ConfigErrors errors) {
        if (!training.isValid("epochs") || !training.isValid("schedule")
                || !training.section("schedule").isValid("milestones")) {
            return;
        }
        long epochs = training.longValue("epochs");
        ResolvedSection schedule = training.section("schedule");
        List<Integer> milestones = schedule.intList("milestones");
        Optional<ConfigNode> written = schedule.given("milestones");
        if (written.isEmpty()) {
            if (!milestones.isEmpty() && milestones.get(milestones.size() - 1) >= epochs) {
                errors.add(training.keyLocation("epochs"), training.pathOf("epochs"), "is " + epochs
                        + ", but the default milestones " + milestones + " need more epochs than "
                        + milestones.get(milestones.size() - 1) + "; set " + schedule.pathOf("milestones") + " too");
            }
            return;
        }
        List<ConfigNode> items = ((ConfigNode.Sequence) written.get()).items();
        for (int i = 0; i < milestones.size(); i++) {
            if (milestones.get(i) >= epochs) {
                errors.add(items.get(i).location(), schedule.pathOf("milestones") + "[" + i + "]",
                        "milestone " + milestones.get(i) + " is not below " + training.pathOf("epochs") + " ("
                                + epochs + "): the rate would never decay there");
            }
        }
    }

    /** A VGG to convert averages: the maximum of spike trains is not the spike train of the maximum. */
    private static void convertedVggPoolsByAverage(ResolvedSection root, ConfigErrors errors) {
        if (!root.isValid("model") || !root.section("model").isValid("pooling")) {
            return;
        }
        ResolvedSection model = root.section("model");
        if (model.get("pooling", Pooling2d.Mode.class) == Pooling2d.Mode.MAX) {
            String source = model.given("pooling").isPresent() ? "" : " (its default)";
            errors.add(model.keyLocation("pooling"), model.pathOf("pooling"), "is max" + source + ", but a VGG is"
                    + " converted with average pooling (the maximum of spike trains is not the spike train of the"
                    + " maximum): set it to average and train the VGG with it");
        }
    }

    /** The optimizer's rule: Nesterov momentum without momentum is no optimizer at all. */
    private static void nesterovNeedsMomentum(ResolvedSection optimizer, ConfigErrors errors) {
        if (optimizer.isValid("nesterov") && optimizer.booleanValue("nesterov") && optimizer.isValid("momentum")
                && optimizer.doubleValue("momentum") == 0) {
            errors.add(optimizer.keyLocation("nesterov"), optimizer.pathOf("nesterov"), "Nesterov momentum needs "
                    + optimizer.pathOf("momentum") + " > 0, which is 0");
        }
    }

    /** A cosine schedule decays from the learning rate down to {@code min_lr}, never up to it. */
    private static void minimumRateBelowRate(ResolvedSection training, ConfigErrors errors) {
        if (!training.isValid("schedule") || !training.section("schedule").isValid("min_lr")
                || !training.isValid("optimizer") || !training.section("optimizer").isValid("lr")) {
            return;
        }
        ResolvedSection schedule = training.section("schedule");
        ResolvedSection optimizer = training.section("optimizer");
        double minimum = schedule.doubleValue("min_lr");
        double rate = optimizer.doubleValue("lr");
        if (minimum > rate) {
            errors.add(schedule.keyLocation("min_lr"), schedule.pathOf("min_lr"), "is " + YamlText.number(minimum)
                    + ", above the learning rate it decays from (" + optimizer.pathOf("lr") + ", "
                    + YamlText.number(rate) + "): expected at most " + YamlText.number(rate));
        }
    }
}
