package io.spikeforge.runner.config;

import static io.spikeforge.runner.config.Fixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Hydra-style command-line overrides: {@code key=value} and {@code ~key}. */
class OverridesTest {
    private final ExperimentLoader loader = new ExperimentLoader(TestComponents.registry());

    private DistillExperiment idsnn(String... overrides) throws ConfigException {
        return (DistillExperiment) loader.load(fixture("idsnn-cifar10.yaml"), List.of(overrides));
    }

    private DistillExperiment minimal(String... overrides) throws ConfigException {
        return (DistillExperiment) loader.load(fixture("minimal.yaml"), List.of(overrides));
    }

    private List<String> problems(String... overrides) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.load(fixture("minimal.yaml"), List.of(overrides)));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void setsValuesReadAsYaml() throws ConfigException {
        DistillExperiment x = idsnn("training.optimizer.lr=0.1", "training.schedule.milestones=[30,60]",
                "training.optimizer.nesterov=false", "experiment.description='T=6: a \"variant\"'");

        assertEquals(0.1, x.training().optimizer().lr());
        assertEquals(new ScheduleConfig.MultiStep(List.of(30, 60), 0.1), x.training().schedule());
        assertEquals(false, x.training().optimizer().nesterov());
        assertEquals("T=6: a \"variant\"", x.experiment().description());
    }

    @Test
    void setsKeysAbsentFromTheFile() throws ConfigException {
        DistillExperiment x = minimal("experiment.seed=7", "dataset.augment.horizontal_flip=false",
                "teacher.weights=teacher.safetensors", "student.model.timesteps=6");

        assertEquals(7, x.experiment().seed());
        assertEquals(new AugmentConfig(4, false), x.dataset().augment());
        assertEquals("teacher.safetensors", x.teacher().weights().orElseThrow().toString());
        assertEquals(6, x.student().model().spiking().orElseThrow().timesteps());
    }

    @Test
    void blocksPerStageFollowTheDepthUnlessSet() throws ConfigException {
        assertEquals(List.of(3, 3, 3), minimal("student.model.depth=20").student().model().blocksPerStage());
        assertEquals(List.of(1, 2, 3, 2), minimal("student.model.blocks_per_stage=[1,2,3,2]")
                .student().model().blocksPerStage());
        assertEquals(List.of(1, 1, 1), minimal("student.model.depth=8").student().model().blocksPerStage());
        List<String> wrongLength = problems("teacher.model.blocks_per_stage=[1,1]");
        assertEquals(1, wrongLength.size(), wrongLength::toString);
        assertTrue(wrongLength.get(0).contains("teacher.model.blocks_per_stage")
                && wrongLength.get(0).contains("expected 4 entries for depth 34 (one per stage), got 2"),
                wrongLength::toString);
    }

    @Test
    void removalRestoresTheDefault() throws ConfigException {
        DistillExperiment x = idsnn("~outputs.checkpoint_every", "~training.optimizer", "~dataset.train_limit");

        assertEquals(1, x.outputs().checkpointEvery());
        assertEquals(new OptimizerConfig(OptimizerName.SGD, 0.05, 0.9, 1.0e-4, false), x.training().optimizer());
        assertEquals(OptionalInt.empty(), x.dataset().trainLimit());
    }

    @Test
    void laterOverridesWin() throws ConfigException {
        assertEquals(0.2, minimal("training.optimizer.lr=0.1", "training.optimizer.lr=0.2")
                .training().optimizer().lr());
        assertEquals(200, minimal("training.epochs=10", "~training.epochs").training().epochs());
    }

    @Test
    void slotsCanBeDisabledAndEnabled() throws ConfigException {
        DistillExperiment x = idsnn("initialization=none", "distillation=null");
        assertEquals(Optional.empty(), x.initialization());
        assertEquals(Optional.empty(), x.distillation());

        assertEquals(Optional.empty(), idsnn("initialization.id=none").initialization());
        ConfigException withParameters = assertThrows(ConfigException.class, () -> idsnn("distillation.id=none"));
        assertEquals("command-line override 'distillation.id=none' (argument 1): distillation.id: is none, which"
                + " disables the slot; remove its parameters or choose one of feature-kd, hinton-kd",
                withParameters.getMessage());

        DistillExperiment enabled = minimal("initialization=none", "initialization.id=loop-interpolation",
                "initialization.transfer_shortcut=true");
        assertEquals(Map.of("transfer_shortcut", true), enabled.initialization().orElseThrow().parameters().asMap());
    }

    @Test
    void switchingTheComponentThenSettingItsParameters() throws ConfigException {
        DistillExperiment x = minimal("neuron.id=if", "neuron.threshold=1.5", "neuron.v_init=0.5");
        assertEquals("if", x.neuron().id());
        assertEquals(1.5, x.neuron().parameters().getDouble("threshold"));
        assertEquals(0.5, x.neuron().parameters().getDouble("v_init"));

        // The file writes `surrogate: rectangular`; its parameters can still be set.
        DistillExperiment shorthand = idsnn("surrogate.width=2", "neuron=if", "neuron.threshold=2");
        assertEquals(2.0, shorthand.surrogate().parameters().getDouble("width"));
        assertEquals(Map.of("threshold", 2.0), filterSet(shorthand.neuron().parameters().asMap()));
    }

    @Test
    void parametersWithoutAnIdTuneTheDefaultComponent() throws ConfigException {
        DistillExperiment x = minimal("neuron.decay=0.5");

        assertEquals("lif", x.neuron().id());
        assertEquals(0.5, x.neuron().parameters().getDouble("decay"));
    }

    @Test
    void switchingTheIdKeepsTheOldParametersWhichTheNewComponentMayReject() {
        ConfigException e = assertThrows(ConfigException.class, () -> idsnn("neuron.id=if"));

        assertEquals(1, e.errors().size());
        assertEquals("neuron.decay", e.errors().get(0).keyPath());
        assertTrue(e.errors().get(0).message().startsWith("unknown parameter"), e.errors().get(0).message());
        assertTrue(e.errors().get(0).message().endsWith("Allowed: threshold, v_init"), e.errors().get(0).message());
        assertEquals(new ConfigLocation.InFile(fixture("idsnn-cifar10.yaml"), 34, 3), e.errors().get(0).location(),
                "the stale parameter is reported where the file sets it");
    }

    @Test
    void problemsCausedByAnOverridePointAtIt() {
        assertEquals(List.of(
                "command-line override 'neuron.decay=2' (argument 1): neuron.decay: expected a number in [0, 1], got"
                        + " the integer 2",
                "command-line override 'training.optimizer.lrr=0.1' (argument 2): training.optimizer.lrr: unknown key;"
                        + " did you mean 'lr'? allowed keys: name, lr, momentum, weight_decay, nesterov",
                "command-line override 'student.model.timesteps=four' (argument 3): student.model.timesteps: expected"
                        + " an integer in [1, 64], got the string 'four'",
                "command-line override 'distillation=kd' (argument 4): distillation.id: unknown distillation loss"
                        + " 'kd'; available: feature-kd, hinton-kd (or none to disable it)"),
                problems("neuron.decay=2", "training.optimizer.lrr=0.1", "student.model.timesteps=four",
                        "distillation=kd"));
    }

    @Test
    void malformedOverridesAreAllReportedByArgument() {
        assertEquals(List.of(
                "command-line override 'training.epochs' (argument 1): expected key=value to set a key or ~key to"
                        + " remove one",
                "command-line override '=3' (argument 2): the key is empty; expected key=value to set a key or ~key"
                        + " to remove one",
                "command-line override '~training.epochs=3' (argument 3): a removal takes no value: write ~key",
                "command-line override 'training..epochs=3' (argument 4): 'training..epochs' is not a dotted key:"
                        + " expected names of letters, digits, '_' or '-' joined by dots, such as"
                        + " training.optimizer.lr",
                "command-line override 'training.schedule.milestones=[30, 60' (argument 5):"
                        + " training.schedule.milestones: the value is not valid YAML: expected ',' or ']', but got"
                        + " <stream end> (while parsing a flow sequence at line 1, column 1)"),
                problems("training.epochs", "=3", "~training.epochs=3", "training..epochs=3",
                        "training.schedule.milestones=[30, 60"));
    }

    @Test
    void overridesThatCannotApplySayWhy() {
        assertEquals(List.of(
                "command-line override '~training.epochs' (argument 1): training.epochs: nothing to remove: the key is"
                        + " not set in the file or by an earlier override",
                "command-line override 'experiment.name.first=x' (argument 2): experiment.name.first: cannot set a key"
                        + " inside 'experiment.name': it is the string 'quickstart', not a mapping",
                "command-line override 'training.schedule.milestones.0=30' (argument 4):"
                        + " training.schedule.milestones.0: cannot set a key inside 'training.schedule.milestones': it"
                        + " is a list, not a mapping"),
                problems("~training.epochs", "experiment.name.first=x", "training.schedule.milestones=[60]",
                        "training.schedule.milestones.0=30"));
    }

    /** The parameters that have a value, leaving out unset optional ones. */
    private static Map<String, Object> filterSet(Map<String, Object> parameters) {
        Map<String, Object> set = new LinkedHashMap<>();
        parameters.forEach((k, v) -> {
            if (v != null) {
                set.put(k, v);
            }
        });
        return set;
    }
}
