package io.spikeforge.runner.config;

import static io.spikeforge.runner.config.Fixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of problem is reported with its file, line, column, key path and a helpful message. */
class ExperimentErrorsTest {
    private final ExperimentLoader loader = new ExperimentLoader(TestComponents.registry());

    /** The problems of a fixture, one formatted line each, with the fixture's path shortened to its name. */
    private List<String> problems(String name, String... overrides) {
        Path file = fixture(name);
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file, List.of(overrides)));
        return e.errors().stream().map(error -> error.toString().replace(file.toString(), name)).toList();
    }

    @Test
    void misspelledKeysGetASuggestionAndTheAllowedKeys() {
        assertEquals(List.of(
                "errors/misspelled-key.yaml:8:5: training.optimizer.lrr: unknown key; did you mean 'lr'? allowed keys:"
                        + " name, lr, momentum, weight_decay, nesterov",
                "errors/misspelled-key.yaml:9:3: training.schedul: unknown key; did you mean 'schedule'? allowed keys:"
                        + " epochs, batch_size, optimizer, schedule, divergence"),
                problems("errors/misspelled-key.yaml"));
    }

    @Test
    void keysOneLevelTooHighArePointedToTheirSection() {
        assertEquals(List.of("command-line override 'training.lr=0.1' (argument 1): training.lr: unknown key; did you"
                        + " mean 'optimizer.lr'? allowed keys: epochs, batch_size, optimizer, schedule, divergence"),
                problems("minimal.yaml", "training.lr=0.1"));
    }

    @Test
    void wrongTypesSayWhatWasExpectedAndWhatWasGiven() {
        assertEquals(List.of(
                "errors/wrong-type.yaml:3:3: experiment.seed: expected an integer >= 0, got the string 'forty-two'",
                "errors/wrong-type.yaml:7:3: dataset.normalize: expected a boolean (true or false), got the integer 1",
                "errors/wrong-type.yaml:10:5: student.model.timesteps: expected an integer in [1, 64], got the string"
                        + " 'four'",
                "errors/wrong-type.yaml:11:5: student.model.widths: expected a list of integers >= 1, got the integer"
                        + " 64"),
                problems("errors/wrong-type.yaml"));
    }

    @Test
    void valuesOutOfRangeOrChoiceShowWhatIsAllowed() {
        assertEquals(List.of(
                "errors/out-of-range.yaml:4:3: dataset.name: expected one of cifar10, cifar100, synthetic, mnist,"
                        + " fashion-mnist, kmnist, got the string 'cifar-10'; did you mean 'cifar10'?",
                "errors/out-of-range.yaml:8:5: student.model.depth: expected one of 18, 34, 8, 14, 20, 32, 44, 56, 110, 11, 16,"
                        + " got the integer 50",
                "errors/out-of-range.yaml:9:5: student.model.timesteps: expected an integer in [1, 64], got the integer"
                        + " 100",
                "errors/out-of-range.yaml:11:3: training.batch_size: expected an integer >= 1, got the integer 0",
                "errors/out-of-range.yaml:13:5: training.optimizer.momentum: expected a number in [0, 1), got the"
                        + " number 1.0",
                "errors/out-of-range.yaml:14:5: training.optimizer.lr: expected a number > 0, got the number -0.1"),
                problems("errors/out-of-range.yaml"));
    }

    @Test
    void pluginIdsAndParametersAreCheckedAgainstTheRegistryAtTheirLines() {
        assertEquals(List.of(
                "errors/plugins.yaml:7:3: neuron.id: unknown neuron model 'lfi'; did you mean 'lif'? available: if,"
                        + " lif",
                "errors/plugins.yaml:10:3: surrogate.width: expected a number > 0, got the integer -1",
                "errors/plugins.yaml:11:3: surrogate.widht: unknown parameter; did you mean 'width'? Allowed: width",
                "errors/plugins.yaml:12:1: initialization.id: unknown initialization strategy 'interpolation';"
                        + " available: loop-interpolation (or none to disable it)",
                "errors/plugins.yaml:13:1: distillation.layer: is required: expected a string",
                "errors/plugins.yaml:15:3: distillation.distance: expected one of l2, cosine, got the string 'euclid'"),
                problems("errors/plugins.yaml"));
    }

    @Test
    void aProvidersOwnValidationIsMappedToTheKeyItNames() {
        assertEquals(List.of("command-line override 'neuron.v_init=2.0' (argument 2): neuron.v_init: must be below"
                        + " threshold (1.0)"),
                problems("minimal.yaml", "neuron.id=if", "neuron.v_init=2.0"));
    }

    @Test
    void numbersMustBeFiniteInTheSchemaAndInEveryPluginParameter() {
        assertEquals(List.of(
                "command-line override 'distillation={id: hinton-kd, temperature: .inf}' (argument 1):"
                        + " distillation.temperature: expected a finite number > 0, got .inf",
                "command-line override 'neuron.decay=.nan' (argument 2): neuron.decay: expected a finite number in"
                        + " [0, 1], got .nan",
                "command-line override 'training.optimizer.lr=.inf' (argument 3): training.optimizer.lr: expected a"
                        + " finite number > 0, got .inf"),
                problems("minimal.yaml", "distillation={id: hinton-kd, temperature: .inf}", "neuron.decay=.nan",
                        "training.optimizer.lr=.inf"));
    }

    @Test
    void duplicateKeysNameBothPlaces() {
        assertEquals(List.of("errors/duplicate-key.yaml:9:3: training.epochs: duplicate key; it is already set at"
                        + " line 7, column 3"),
                problems("errors/duplicate-key.yaml"));
    }

    @Test
    void syntaxErrorsGiveTheParsersPositionWithoutAStackTrace() {
        assertEquals(List.of("errors/syntax-error.yaml:5:9: YAML syntax error: mapping values are not allowed here"),
                problems("errors/syntax-error.yaml"));
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("absent.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(missing));
        assertEquals(missing + ": experiment file not found", e.getMessage());

        ConfigException relative = assertThrows(ConfigException.class, () -> loader.load(Path.of("no/such.yaml")));
        assertEquals("no/such.yaml: experiment file not found (looked for "
                + Path.of("no/such.yaml").toAbsolutePath() + ")", relative.getMessage());

        ConfigException directory = assertThrows(ConfigException.class, () -> loader.load(dir));
        assertEquals(dir + ": is a directory, not an experiment file", directory.getMessage());
    }

    @Test
    void keysOfAnotherChoiceSayWhichChoiceTheyBelongTo() {
        assertEquals(List.of(
                "errors/wrong-choice.yaml:9:5: student.model.timesteps: applies only when architecture is"
                        + " spiking-resnet or spiking-vgg, but student.model.architecture is resnet",
                "errors/wrong-choice.yaml:13:5: training.schedule.every: applies only when name is step, but"
                        + " training.schedule.name is multistep",
                "errors/wrong-choice.yaml:14:5: training.schedule.min_lr: applies only when name is cosine, but"
                        + " training.schedule.name is multistep"),
                problems("errors/wrong-choice.yaml"));
    }

    @Test
    void milestonesMustIncreaseAndStayBelowEpochs() {
        assertEquals(List.of(
                "errors/milestones.yaml:10:24: teacher.training.schedule.milestones[1]: must be greater than the value"
                        + " before it (20): expected a list of integers >= 1, strictly increasing",
                "errors/milestones.yaml:14:26: training.schedule.milestones[2]: milestone 100 is not below"
                        + " training.epochs (100): the rate would never decay there"),
                problems("errors/milestones.yaml"));
    }

    @Test
    void defaultMilestonesBeyondTheEpochsAreReportedAtTheEpochs() {
        assertEquals(List.of("command-line override 'training.epochs=100' (argument 1): training.epochs: is 100, but"
                        + " the default milestones [60, 120, 160] need more epochs than 160; set"
                        + " training.schedule.milestones too"),
                problems("minimal.yaml", "training.epochs=100"));
    }

    /**
     * Settings the optimizer or the schedule cannot start with were accepted and failed the run only
     * when the student's training began, after the teacher had trained.
     */
    @Test
    void nesterovNeedsMomentumAndTheCosineScheduleEndsAtMostAtTheLearningRate() {
        assertEquals(List.of(
                "command-line override 'training.optimizer={nesterov: true, momentum: 0}' (argument 1):"
                        + " training.optimizer.nesterov: Nesterov momentum needs training.optimizer.momentum > 0,"
                        + " which is 0",
                "command-line override 'teacher.training.schedule={name: cosine, min_lr: 0.5}' (argument 2):"
                        + " teacher.training.schedule.min_lr: is 0.5, above the learning rate it decays from"
                        + " (teacher.training.optimizer.lr, 0.05): expected at most 0.05"),
                problems("minimal.yaml", "training.optimizer={nesterov: true, momentum: 0}",
                        "teacher.training.schedule={name: cosine, min_lr: 0.5}"));
    }

    @Test
    void widthsMustHaveOneEntryPerStage() {
        assertEquals(List.of("errors/widths.yaml:9:5: teacher.model.widths: expected 3 widths for depth 56 (one per"
                        + " stage), got 4"),
                problems("errors/widths.yaml"));
    }

    @Test
    void blocksPerStageMustMakeTheDepth() {
        assertEquals(List.of(
                "command-line override 'student.model={depth: 20, blocks_per_stage: [1, 1, 1]}' (argument 1):"
                        + " student.model.blocks_per_stage: [1, 1, 1] makes a ResNet-8 (2 x 3 blocks + 2), but"
                        + " student.model.depth is 20: the blocks of depth 20 add up to 9, for example [3, 3, 3]; make"
                        + " the two agree or leave blocks_per_stage out",
                "command-line override 'teacher.model.blocks_per_stage=[3, 4, 6, 4]' (argument 2):"
                        + " teacher.model.blocks_per_stage: [3, 4, 6, 4] makes a ResNet-36 (2 x 17 blocks + 2), but"
                        + " teacher.model.depth is 34 (its default): the blocks of depth 34 add up to 16, for example"
                        + " [3, 4, 6, 3]; make the two agree or leave blocks_per_stage out"),
                problems("minimal.yaml", "student.model={depth: 20, blocks_per_stage: [1, 1, 1]}",
                        "teacher.model.blocks_per_stage=[3, 4, 6, 4]"));
    }

    @Test
    void onlyPlainYamlIsAccepted() {
        assertEquals(List.of(
                "errors/not-plain.yaml:1:13: experiment: unsupported tag !custom: an experiment holds only plain"
                        + " mappings, lists, strings, numbers and booleans",
                "errors/not-plain.yaml:5:9: dataset.path: unsupported tag !!binary: an experiment holds only plain"
                        + " mappings, lists, strings, numbers and booleans",
                "errors/not-plain.yaml:6:3: dataset: merge keys (<<) are not supported; write the keys out"),
                problems("errors/not-plain.yaml"));
    }

    @Test
    void globalTagsAreRefusedBeforeAnythingIsBuilt() {
        assertEquals(List.of("errors/global-tag.yaml:2:9: YAML syntax error: Global tag is not allowed:"
                        + " tag:yaml.org,2002:python/object/apply:os.system"),
                problems("errors/global-tag.yaml"));
    }

    @Test
    void missingAndEmptyValuesAreReported() {
        assertEquals(List.of(
                "errors/missing.yaml:1:1: experiment.name: is required: expected a name of letters, digits, '.', '_'"
                        + " or '-'",
                "errors/missing.yaml:3:1: dataset: is missing; it must set at least name",
                "errors/missing.yaml:4:1: neuron: cannot be disabled: a neuron model is needed; available: if, lif",
                "errors/missing.yaml:6:3: tracking.uri: expected an http:// or https:// URL such as"
                        + " http://localhost:5000, got the string 'localhost:5000'",
                "errors/missing.yaml:7:3: tracking.experiment: expected a non-blank string, got the string ''"),
                problems("errors/missing.yaml"));
    }

    @Test
    void aNullValueForAKeyWithADefaultSaysHowToGetTheDefault() {
        assertEquals(List.of("command-line override 'training.epochs=null' (argument 1): training.epochs: has no value;"
                        + " expected an integer >= 1 (remove the key to use the default 200)"),
                problems("minimal.yaml", "training.epochs=null"));
    }

    @Test
    void theTopLevelMustBeAMapping(@TempDir Path dir) throws Exception {
        Path list = Files.writeString(dir.resolve("list.yaml"), "- experiment\n- dataset\n");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(list));
        assertEquals(list + ":1:1: expected a mapping of sections (experiment, dataset, ...), got a list",
                e.getMessage());
    }

    @Test
    void everyProblemOfAFileIsReportedInReadingOrder() {
        List<String> problems = problems("errors/out-of-range.yaml", "training.epochs=ten", "neuron.decay=2");

        assertEquals(8, problems.size());
        assertTrue(problems.get(0).startsWith("errors/out-of-range.yaml:4:3: dataset.name: "), problems.get(0));
        assertEquals("command-line override 'training.epochs=ten' (argument 1): training.epochs: expected an integer"
                + " >= 1, got the string 'ten'", problems.get(6));
        assertEquals("command-line override 'neuron.decay=2' (argument 2): neuron.decay: expected a number in [0, 1],"
                + " got the integer 2", problems.get(7));
    }

    @Test
    void theExceptionMessageHasOneLinePerProblem() {
        Path file = fixture("errors/wrong-choice.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));

        assertEquals(3, e.getMessage().lines().count());
        assertEquals(file + ":9:5: student.model.timesteps: applies only when architecture is spiking-resnet or spiking-vgg, but"
                + " student.model.architecture is resnet", e.getMessage().lines().findFirst().orElseThrow());
        ConfigError first = e.errors().get(0);
        assertEquals(new ConfigLocation.InFile(file, 9, 5), first.location());
        assertEquals("student.model.timesteps", first.keyPath());
    }
}
