package io.spikeforge.runner.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.config.DistillExperiment;
import io.spikeforge.runner.config.LauncherConfig;
import io.spikeforge.runner.config.TestComponents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepLoaderTest {
    private static final String EXPERIMENT = """
            experiment: {name: tiny, seed: 1}
            dataset: {name: synthetic, path: data/synthetic}
            teacher:
              model: {architecture: resnet, depth: 8, widths: [4, 8, 8]}
              training: {epochs: 1, batch_size: 32, schedule: {name: constant}}
            student:
              model: {architecture: spiking-resnet, depth: 8, widths: [4, 8, 8], timesteps: 2}
            neuron: {id: lif}
            surrogate: {id: rectangular}
            initialization: {id: loop-interpolation}
            distillation: {id: hinton-kd}
            training: {epochs: 1, batch_size: 32, schedule: {name: constant}}
            outputs: {dir: runs}
            """;

    @TempDir
    Path dir;

    private Path experiment;
    private final SweepLoader loader = new SweepLoader(TestComponents.registry());
    private final List<String> warnings = new ArrayList<>();

    @BeforeEach
    void writeExperiment() throws IOException {
        experiment = Files.writeString(dir.resolve("tiny.yaml"), EXPERIMENT);
    }

    private SweepLoader.Defined define(Path file, String... arguments) throws ConfigException {
        return loader.define(file, List.of(arguments), dir, Optional.empty(), Optional.empty(),
                w -> warnings.add(w.toString()));
    }

    private static List<String> names(SweepLoader.Defined defined) {
        return defined.sweep().arms().stream().map(Arm::name).toList();
    }

    @Test
    void overridesWithSeveralValuesAreAxesOfTheGridAndSeedIsTheExperimentSeed() throws ConfigException {
        SweepLoader.Defined defined = define(experiment, "distillation.weight=0.1,0.5", "seed=1,2",
                "student.model.widths=[8,8,16]", "training.epochs=2");

        assertEquals(List.of("distillation.weight=0.1,seed=1", "distillation.weight=0.1,seed=2",
                "distillation.weight=0.5,seed=1", "distillation.weight=0.5,seed=2"), names(defined));
        Arm last = defined.sweep().arm(3);
        assertEquals(3, last.index());
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("distillation.weight", "0.5");
        expected.put("experiment.seed", "2");
        expected.put("student.model.widths", "[8,8,16]");
        expected.put("training.epochs", "2");
        assertEquals(expected, last.overrides());
        assertEquals(List.of("student.model.widths=[8,8,16]", "training.epochs=2"), defined.sweep().overrides());
        DistillExperiment resolved = (DistillExperiment) defined.experiments().get(3);
        assertEquals(2, resolved.experiment().seed());
        assertEquals(List.of(8, 8, 16), resolved.student().model().widths());
        assertEquals(2, resolved.training().epochs());
        assertEquals("tiny", defined.sweep().name());
        assertEquals(experiment.toAbsolutePath(), defined.sweep().experiment());
        assertTrue(defined.resolvedBase().orElseThrow().contains("epochs: 2"));
    }

    @Test
    void rangesAndQuotedValues() throws ConfigException {
        assertEquals(List.of("training.epochs=1", "training.epochs=2", "training.epochs=3"),
                names(define(experiment, "training.epochs=range(1,4)")));
        assertEquals(List.of("distillation.weight=0.0", "distillation.weight=0.5"),
                names(define(experiment, "distillation.weight=range(0,1,0.5)")));
        assertEquals(List.of("base"), names(define(experiment, "experiment.description=\"a,b\"")));
    }

    @Test
    void aStudyCrossesNamedArmsWithItsGridAndSeeds() throws Exception {
        Files.createDirectories(dir.resolve("studies"));
        Path study = Files.writeString(dir.resolve("studies/ablation.yaml"), """
                kind: study
                name: ablation
                experiment: ../tiny.yaml
                overrides: {training.epochs: 2}
                arms:
                  baseline: {initialization: none, distillation: none}
                  kd-only: {initialization: none, distillation.weight: 0.5}
                grid:
                  training.schedule: [{name: step, every: 1}, {name: constant}]
                seeds: [1, 2]
                launcher: {name: slurm, parallel: 2, partition: gpu, time: "04:00:00", cpus: 8, memory: 16G, gpus: 1,
                  max_parallel: 4}
                report: {target_accuracy: 0.8}
                """);
        SweepLoader.Defined defined = define(study, "teacher.training.epochs=1");

        assertEquals(8, defined.sweep().arms().size());
        assertEquals("baseline,training.schedule={name: step, every: 1},seed=1", defined.sweep().arm(0).name());
        assertEquals("kd-only,training.schedule={name: constant},seed=2", defined.sweep().arm(7).name());
        assertEquals(List.of("training.epochs", "initialization", "distillation.weight", "training.schedule",
                "experiment.seed", "teacher.training.epochs"), List.copyOf(defined.sweep().arm(7).overrides().keySet()));
        assertEquals("none", defined.sweep().arm(0).overrides().get("initialization"));
        assertTrue(((DistillExperiment) defined.experiments().get(0)).distillation().isEmpty());
        assertEquals(new LauncherConfig("slurm", 2, Optional.of("gpu"), Optional.of("04:00:00"), Optional.of(8),
                Optional.of("16G"), 1, Optional.of(4)), defined.sweep().launcher());
        assertEquals(Map.of("target_accuracy", 0.8), defined.sweep().report());
        assertEquals("ablation", defined.sweep().name());
        assertEquals(experiment.toAbsolutePath().normalize(), defined.sweep().experiment());

        List<String> oneSeed = names(define(study, "seed=5"));
        assertEquals(4, oneSeed.size(), oneSeed::toString);
        assertEquals("baseline,training.schedule={name: step, every: 1}", oneSeed.get(0));
    }

    @Test
    void theSweepFileHoldsTheResolvedSweep() throws Exception {
        Path study = Files.writeString(dir.resolve("study.yaml"), """
                kind: study
                experiment: tiny.yaml
                arms:
                  a: {distillation.weight: 0.5, student.model.widths: [8, 8, 16]}
                  b: {}
                seeds: [3, 4]
                report: {target_accuracy: 0.8, per_seed: true}
                """);
        Sweep sweep = define(study, "training.epochs=2").sweep();
        SweepFolder folder = SweepFolder.at(dir.resolve("sweep"));
        SweepFile.write(folder, sweep, Optional.of("kind: distill\nexperiment:\n  name: tiny\n"), "now");

        assertEquals(sweep, SweepFile.read(folder));
        String text = Files.readString(folder.sweepFile());
        assertTrue(text.contains("\nexperiment:\n  kind: distill\n  experiment:\n    name: tiny\n"), text);
        assertTrue(text.contains("  - index: 1\n    name: \"a,seed=4\"\n    folder: \"arms/001-a_seed=4\"\n"), text);
    }

    @Test
    void problemsOfArmsAreReportedWhereTheOverrideWasWrittenWithTheArms() throws Exception {
        Path study = Files.writeString(dir.resolve("bad.yaml"), """
                kind: study
                experiment: tiny.yaml
                arms:
                  good: {}
                  bad: {distillation.weight: -1}
                seeds: [1, 2]
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> define(study));
        assertEquals(1, e.errors().size(), e.getMessage());
        String message = e.getMessage();
        assertTrue(message.startsWith(study + ":5:30: distillation.weight: "), message);
        assertTrue(message.endsWith("(in arms 2 'bad,seed=1', 3 'bad,seed=2')"), message);

        ConfigException cli = assertThrows(ConfigException.class, () -> define(experiment, "training.epochs=0,1"));
        assertTrue(cli.getMessage().startsWith("command-line override 'training.epochs=0,1' (argument 1): "
                + "training.epochs: "), cli.getMessage());
        assertTrue(cli.getMessage().endsWith("(in arm 0 'training.epochs=0')"), cli.getMessage());

        ConfigException range = assertThrows(ConfigException.class, () -> define(experiment, "seed=range(3,1)"));
        assertTrue(range.getMessage().contains("'range(3,1)' is empty"), range.getMessage());
        ConfigException removal = assertThrows(ConfigException.class, () -> define(experiment, "~neuron.decay"));
        assertTrue(removal.getMessage().contains("a sweep cannot remove keys"), removal.getMessage());
    }

    @Test
    void badStudyKeysAreNamedWithWhatWasExpected() throws Exception {
        Path study = Files.writeString(dir.resolve("keys.yaml"), """
                kind: study
                experiment: tiny.yaml
                armz: {a: {}}
                seeds: [one]
                launcher: {name: cluster, parallel: 0}
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> define(study));
        String message = e.getMessage();
        assertTrue(message.contains(study + ":3:1: armz: unknown key of a study file; did you mean 'arms'? "
                + "expected one of: kind"), message);
        assertTrue(message.contains(study + ":4:1: seeds: expected a list of integer seeds"), message);
        assertTrue(message.contains("launcher.name: unknown launcher 'cluster'"), message);
        assertTrue(message.contains("launcher.parallel: expected an integer >= 1, got the integer 0"), message);

        Path noBase = Files.writeString(dir.resolve("nobase.yaml"), "kind: study\n");
        assertTrue(assertThrows(ConfigException.class, () -> define(noBase)).getMessage()
                .contains("experiment: a study needs its base experiment"));
    }
}
