package io.spikeforge.runner.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.distill.DistillationLoss;
import io.spikeforge.api.distill.DistillationLossProvider;
import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.api.neuron.SurrogateFunctionProvider;
import io.spikeforge.engine.data.GenerationProgress;
import io.spikeforge.engine.data.ImageShape;
import io.spikeforge.engine.data.SyntheticImageSets;
import io.spikeforge.engine.data.SyntheticMetadata;
import io.spikeforge.engine.data.SyntheticSpec;
import io.spikeforge.engine.io.WeightImport;
import io.spikeforge.engine.model.Model;
import io.spikeforge.engine.train.EpochResult;
import io.spikeforge.engine.train.EvaluationResult;
import io.spikeforge.engine.train.StepResult;
import io.spikeforge.engine.train.TrainingStart;
import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.config.DistillExperiment;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.testkit.SlowTest;
import io.spikeforge.tracking.RunStatus;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline end to end on {@link TinyExperiments}: run folder contents, determinism, stops, failures. */
@SlowTest
class ExperimentPipelineTest {
    private static final Clock NEW_YEAR = Clock.fixed(Instant.parse("2024-01-02T03:04:05Z"), ZoneOffset.UTC);
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** Shared by the tests: the first run generates the synthetic set in it. */
    @TempDir
    static Path sharedData;

    @TempDir
    Path dir;

    private DistillExperiment tiny(String... overrides) throws Exception {
        return TinyExperiments.load(dir, sharedData.resolve("synthetic"), overrides);
    }

    private RunResult run(Experiment experiment, RunListener... listeners) throws RunSetupException {
        ExperimentPipeline.Builder builder = ExperimentPipeline.builder(experiment).clock(NEW_YEAR);
        Arrays.stream(listeners).forEach(builder::listener);
        return builder.build().run();
    }

    @Test
    void aRunWritesItsFolderAndTellsItsListeners() throws Exception {
        DistillExperiment experiment = tiny();
        List<String> calls = new ArrayList<>();
        RunResult result = run(experiment, new RunListener() {
            @Override
            public void onRunStart(RunInfo run) {
                calls.add("run " + run.folder().getFileName() + " " + run.trainImages() + "/" + run.testImages());
            }

            @Override
            public void onTrainingStart(TrainingStart start) {
                calls.add(start.model() + " training");
            }

            @Override
            public void onStep(StepResult step) {
                if (step.step() == 0) {
                    calls.add(step.model() + " steps " + step.lossTerms().keySet());
                }
            }

            @Override
            public void onEpoch(EpochResult epoch) {
                calls.add(epoch.model() + " epoch " + epoch.epoch());
            }

            @Override
            public void onEvaluation(String model, EvaluationResult evaluation) {
                calls.add(model + " evaluated");
            }

            @Override
            public void onRunEnd(RunResult end) {
                calls.add("end " + end.status());
            }
        });

        assertEquals(RunStatus.FINISHED, result.status(), () -> result.error().orElse(""));
        Path folder = result.folder();
        assertEquals(dir.resolve("runs/tiny-20240102-030405"), folder);
        assertEquals(List.of("run tiny-20240102-030405 64/32", "teacher training", "teacher steps [ce]",
                "teacher epoch 0", "teacher steps [ce]", "teacher epoch 1", "student evaluated", "student training",
                "student steps [ce, kd]", "student epoch 0", "student steps [ce, kd]", "student epoch 1",
                "end FINISHED"), calls);
        assertTrue(Files.exists(sharedData.resolve("synthetic").resolve(SyntheticMetadata.FILE_NAME)),
                "the missing synthetic set was generated");

        assertEquals("finished\n", Files.readString(folder.resolve("status")));
        assertEquals(experiment.toYaml(), Files.readString(folder.resolve("config.yaml")));

        List<String> metrics = Files.readAllLines(folder.resolve("metrics.csv"));
        assertEquals(MetricsCsv.HEADER, metrics.get(0));
        assertEquals(List.of("teacher,1", "teacher,2", "student,0", "student,1", "student,2"),
                metrics.subList(1, metrics.size()).stream().map(row -> row.substring(0, row.indexOf(',', 8))).toList());
        String[] lastStudent = metrics.get(5).split(",", -1);
        assertEquals(9, lastStudent.length, metrics.get(5));
        double meanFiringRate = Double.parseDouble(lastStudent[8]);
        assertTrue(meanFiringRate > 0 && meanFiringRate < 1, "student firing rate " + meanFiringRate);
        assertEquals("", metrics.get(1).split(",", -1)[8], "an ANN teacher has no firing rate");
        assertEquals("", metrics.get(3).split(",", -1)[2], "epoch 0 has no learning rate");
        assertEquals(result.evaluation("student").orElseThrow().accuracy(), Double.parseDouble(lastStudent[6]));

        List<String> rates = Files.readAllLines(folder.resolve("firing_rates.csv"));
        assertEquals(FiringRatesCsv.HEADER, rates.get(0));
        assertEquals(3 * 7, rates.size() - 1, "the student's 7 spiking layers at epochs 0, 1 and 2: " + rates);
        assertTrue(rates.contains("student,2,layer1.0.sn2," + result.evaluation("student").orElseThrow().firingRates()
                .get("layer1.0.sn2")), rates.toString());
        assertTrue(rates.stream().skip(1).allMatch(row -> row.startsWith("student,")), "an ANN teacher adds no rows");

        assertEnergyCsv(folder, result);

        String report = Files.readString(folder.resolve("init-report.txt"));
        assertTrue(report.startsWith("initialization: loop-interpolation"), report);
        assertTrue(report.contains("transferred ") && report.contains("layer1.0.conv1.weight"), report);

        for (String model : List.of("teacher", "student")) {
            Model fresh = ModelFactory.build(model.equals("teacher") ? experiment.teacher().model()
                    : experiment.student().model(), ImageShape.RGB_32, 10, 99,
                    TinyExperiments.neurons(experiment.neuron(), experiment.surrogate()), null);
            WeightImport.Report imported = WeightImport.importInto(folder.resolve(model + ".safetensors"),
                    fresh.stateDict());
            assertEquals(fresh.stateDict().names().size(), imported.assigned().size(), model);
        }
        for (String plot : List.of("loss.png", "accuracy.png")) {
            byte[] png = Files.readAllBytes(folder.resolve(plot));
            assertTrue(png.length > 1000, plot + " has " + png.length + " bytes");
            assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8), plot);
        }
    }

    /**
     * The tiny experiment's ResNet-8s (widths 4/8/8) on 32x32 RGB: the ANN teacher's MACs by the formula,
     * stem 4*3*9*32^2 = 110592, layer1 2 * 4*4*9*32^2 = 294912, layer2 (16x16) 8*4*9*256 + 8*8*9*256 +
     * the projection 8*4*256 = 229376, layer3 (8x8) 2 * 8*8*9*64 + 8*8*64 = 77824, fc 8*10 = 80: 712784.
     * The spiking student (T = 2) does the stem's and the classifier's MACs once per image, and
     * accumulates elsewhere, at most T times each layer's MACs (a firing rate of at most 1).
     */
    private static void assertEnergyCsv(Path folder, RunResult result) throws Exception {
        List<String> lines = Files.readAllLines(folder.resolve("energy.csv"));
        assertEquals(EnergyCsv.HEADER, lines.get(0));
        Map<String, String[]> rows = new TreeMap<>();
        lines.stream().skip(1).map(line -> line.split(",", -1)).forEach(row -> rows.put(row[0] + " " + row[1], row));
        assertEquals(2 * (10 + 1), rows.size(), "10 layers with weights and a total per model: " + lines);
        assertEquals(List.of("teacher", "student"), lines.stream().skip(1).map(line -> line.split(",")[0])
                .distinct().toList());
        String[] teacher = rows.get("teacher total");
        assertEquals("0", teacher[2]);
        assertEquals("712784", teacher[3]);
        assertEquals(712784 * 4.6, Double.parseDouble(teacher[4]), 1e-3);
        assertEquals("110592", rows.get("student conv1")[3]);
        assertEquals("0", rows.get("student conv1")[2]);
        assertEquals("80", rows.get("student fc")[3]);
        String[] block = rows.get("student layer2.0.conv2");
        double accumulates = Double.parseDouble(block[2]);
        assertTrue(accumulates > 0 && accumulates <= 2 * 8 * 8 * 9 * 256, "layer2.0.conv2: " + accumulates);
        assertEquals("0", block[3]);
        var energy = result.energy("student").orElseThrow();
        assertEquals(energy.accumulates(), Double.parseDouble(rows.get("student total")[2]), 1e-6);
        assertEquals(110592 + 80, energy.multiplyAccumulates());
        assertEquals(energy.millijoules() * 1e9, Double.parseDouble(rows.get("student total")[4]), 1e-3);
        assertTrue(energy.millijoules() < result.energy("teacher").orElseThrow().millijoules(),
                "the student's accumulates cost less than the teacher's MACs");
    }

    @Test
    void theSameExperimentAndSeedGiveTheSameMetricsInAnotherFolder() throws Exception {
        DistillExperiment experiment = tiny();
        RunResult first = run(experiment);
        RunResult second = run(experiment);
        RunResult otherSeed = run(tiny("experiment.seed=4"));

        assertEquals(dir.resolve("runs/tiny-20240102-030405-2"), second.folder(), "same second: a suffix");
        assertEquals(withoutSeconds(first.folder()), withoutSeconds(second.folder()));
        assertFalse(withoutSeconds(first.folder()).equals(withoutSeconds(otherSeed.folder())));
    }

    /** The metrics without the wall-clock column. */
    static List<String> withoutSeconds(Path folder) throws Exception {
        return Files.readAllLines(folder.resolve("metrics.csv")).stream()
                .map(row -> row.replaceAll(",[^,]*(,[^,]*)$", ",$1")).toList();
    }

    @Test
    void withoutInitializationAndDistillationTheStudentTrainsOnCrossEntropyFromRandomWeights() throws Exception {
        List<String> studentTerms = new ArrayList<>();
        RunResult result = run(tiny("initialization=none", "distillation=none", "teacher.training.epochs=1"),
                new RunListener() {
                    @Override
                    public void onStep(StepResult step) {
                        if (step.model().equals(ExperimentPipeline.STUDENT)) {
                            studentTerms.addAll(step.lossTerms().keySet());
                        }
                    }
                });

        assertEquals(RunStatus.FINISHED, result.status(), () -> result.error().orElse(""));
        assertEquals(List.of("ce", "ce", "ce", "ce"), studentTerms, "two steps in each of two epochs");
        assertTrue(Files.readString(result.folder().resolve("init-report.txt")).startsWith("initialization: none"));
    }

    @Test
    void aMissingDataFolderIsNamedWithTheWayToTrySyntheticData() throws Exception {
        Path missing = dir.resolve("cifar-10-batches-bin");
        DistillExperiment experiment = tiny("dataset.name=cifar10", "dataset.path=" + missing);

        RunSetupException e = assertThrows(RunSetupException.class, () -> run(experiment));

        assertTrue(e.getMessage().startsWith("dataset.path: " + missing + ": no such folder"), e.getMessage());
        assertTrue(e.getMessage().endsWith("To try Spikeforge without it, set dataset.name=synthetic and dataset.path"
                + " to a new folder: the run generates a synthetic set there"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("runs")), "no run folder for a run that cannot start");
    }

    /**
     * A damaged CIFAR folder, or CIFAR files given as a synthetic set: no hint may propose a command
     * that writes into the folder (it used to say "`spikeforge data synth --out <that folder>`").
     */
    @Test
    void noHintProposesToWriteIntoTheDataFolder() throws Exception {
        Path cifar = dir.resolve("cifar-10-batches-bin");
        // checked before the files are there, as they may be put there between `validate` and `run`
        List<Experiment> experiments = List.of(tiny("dataset.name=cifar10", "dataset.path=" + cifar),
                tiny("dataset.name=synthetic", "dataset.path=" + cifar));
        cifarFolder(cifar);
        Path test = cifar.resolve("test_batch.bin");
        try (RandomAccessFile file = new RandomAccessFile(test.toFile(), "rw")) {
            file.setLength(30_730_000 - 1);
        }
        for (Experiment experiment : experiments) {
            RunSetupException e = assertThrows(RunSetupException.class, () -> run(experiment));
            assertFalse(e.getMessage().contains("--out " + cifar), e.getMessage());
        }
        ConfigException atLoad = assertThrows(ConfigException.class,
                () -> tiny("dataset.name=synthetic", "dataset.path=" + cifar));
        assertFalse(atLoad.getMessage().contains("--out " + cifar), atLoad.getMessage());
        try (RandomAccessFile file = new RandomAccessFile(test.toFile(), "rw")) {
            file.setLength(30_730_000);
            file.seek(2 * 3073);
            file.write(10);
        }
        RunSetupException label = assertThrows(RunSetupException.class,
                () -> run(tiny("dataset.name=cifar10", "dataset.path=" + cifar)));
        assertEquals("dataset.path: " + test + ": record 2 has label 10, expected 0..9 (CIFAR-10 binary format)",
                label.getMessage());
    }

    /**
     * A folder of real CIFAR-10 files given as the synthetic set was replaced by a generated one.
     * Now nothing in it is touched, and the message gives the settings of this experiment's set.
     */
    @Test
    void cifarFilesGivenAsTheSyntheticSetAreLeftAloneAndTheHintHasTheExperimentsSettings() throws Exception {
        Path cifar = dir.resolve("cifar-10-batches-bin");
        DistillExperiment experiment = tiny("dataset.name=synthetic", "dataset.path=" + cifar);
        cifarFolder(cifar); // after the experiment was checked, which now refuses such a folder
        Map<String, byte[]> before = contents(cifar);

        RunSetupException e = assertThrows(RunSetupException.class, () -> run(experiment));

        long seed = Seeds.of(3).syntheticData();
        assertEquals("dataset.path: " + cifar + ": holds files that Spikeforge did not write (data_batch_1.bin,"
                + " data_batch_2.bin, data_batch_3.bin, ...); it never replaces or deletes them. If they are the"
                + " CIFAR-10 binary files, set dataset.name=cifar10; otherwise set dataset.path to a new folder: the"
                + " run generates this experiment's synthetic set there (10 classes, 5000 training and 1000 test"
                + " images, seed " + seed + "; `spikeforge data synth --classes 10 --train 5000 --test 1000 --seed "
                + seed + " --out <folder>` writes the same)", e.getMessage());
        Map<String, byte[]> after = contents(cifar);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));
        assertFalse(Files.exists(dir.resolve("runs")));
    }

    @Test
    void aSyntheticSetPathThatIsAFileIsReportedWithTheExperimentsSettings() throws Exception {
        Path file = dir.resolve("synthetic.bin");
        ConfigException atLoad = assertThrows(ConfigException.class, () -> tiny("dataset.name=synthetic",
                "dataset.path=" + Files.writeString(file, "not a folder")));
        assertTrue(atLoad.getMessage().contains("dataset.path: " + file + " is a file, expected a folder"),
                atLoad.getMessage());
        // a file that appears after the experiment was checked: the run says the same, with the settings
        Files.delete(file);
        DistillExperiment experiment = tiny("dataset.name=synthetic", "dataset.path=" + file);
        Files.writeString(file, "not a folder");

        RunSetupException e = assertThrows(RunSetupException.class, () -> run(experiment));

        long seed = Seeds.of(3).syntheticData();
        assertTrue(e.getMessage().startsWith("dataset.path: " + file + ": not a folder; expected a synthetic set"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith(". This experiment's synthetic set: 10 classes, 5000 training and 1000"
                + " test images, seed " + seed + "; `spikeforge data synth --classes 10 --train 5000 --test 1000 --seed "
                + seed + " --out <folder>` writes the same"), e.getMessage());
        assertEquals("not a folder", Files.readString(file));
    }

    /**
     * A run killed (SIGKILL) while it generated its synthetic set on first use: the next run removes
     * what that generation wrote and generates the set with the experiment's own settings.
     */
    @Test
    void aRunKilledWhileGeneratingItsDataSetGeneratesItAgainWithItsOwnSettings() throws Exception {
        Path data = dir.resolve("synthetic");
        HaltedGenerationProcess.killHalfway(dir, data);
        try (Stream<Path> left = Files.list(data)) {
            assertTrue(left.anyMatch(f -> f.getFileName().toString().endsWith(".partial")), "partial files stay");
        }
        assertFalse(Files.exists(data.resolve(SyntheticMetadata.FILE_NAME)));

        RunResult result = run(TinyExperiments.load(dir, data));

        assertEquals(RunStatus.FINISHED, result.status(), () -> result.error().orElse(""));
        Path expected = dir.resolve("expected");
        SyntheticImageSets.generate(new SyntheticSpec(10, 5000, 1000, Seeds.of(3).syntheticData()), expected,
                GenerationProgress.NONE);
        Map<String, byte[]> want = contents(expected);
        Map<String, byte[]> got = contents(data);
        assertEquals(want.keySet(), got.keySet(), "only the set's files");
        want.forEach((name, bytes) -> assertArrayEquals(bytes, got.get(name), name));
        assertTrue(new String(got.get("README.txt"), StandardCharsets.UTF_8).contains("spikeforge data synth"
                + " --classes 10 --train 5000 --test 1000 --seed " + Seeds.of(3).syntheticData() + " --out"));
    }

    /**
     * {@code outputs.dir} naming a file said "cannot create a run folder in README.md: README.md". The
     * experiment refuses such a folder now; the run still names the cause of one that became a file later.
     */
    @Test
    void anOutputsDirThatIsAFileIsReportedWithTheCause() throws Exception {
        Path file = dir.resolve("README.md");
        DistillExperiment atFile = tiny("outputs.dir=" + file);
        DistillExperiment belowFile = tiny("outputs.dir=" + file.resolve("runs"));
        Files.writeString(file, "text");

        RunSetupException e = assertThrows(RunSetupException.class, () -> run(atFile));

        assertEquals("outputs.dir: cannot create a run folder in " + file + ": " + file + ": Not a directory",
                e.getMessage());
        RunSetupException below = assertThrows(RunSetupException.class, () -> run(belowFile));
        assertEquals("outputs.dir: cannot create a run folder in " + file.resolve("runs") + ": "
                + file.resolve("runs") + ": Not a directory", below.getMessage());
    }

    /** The six files of CIFAR-10's binary version at their real sizes: real-format records, then zeros. */
    private static Path cifarFolder(Path folder) throws Exception {
        Files.createDirectories(folder);
        List<String> names = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin");
        for (int f = 0; f < names.size(); f++) {
            byte[] records = new byte[100 * 3073];
            for (int r = 0; r < 100; r++) {
                records[r * 3073] = (byte) ((r + f) % 10);
                for (int p = 1; p < 3073; p++) {
                    records[r * 3073 + p] = (byte) (r * 31 + p * 7 + f);
                }
            }
            try (RandomAccessFile file = new RandomAccessFile(folder.resolve(names.get(f)).toFile(), "rw")) {
                file.write(records);
                file.setLength(30_730_000);
            }
        }
        return folder;
    }

    private static Map<String, byte[]> contents(Path folder) throws Exception {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path file : entries.toList()) {
                files.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }

    @Test
    void aComponentThatCannotBeCreatedStopsTheRunBeforeTheTeacherTrains() throws Exception {
        DistillationLossProvider broken = new DistillationLossProvider() {
            @Override
            public String id() {
                return "broken-kd";
            }

            @Override
            public String description() {
                return "a distillation loss whose plugin is broken";
            }

            @Override
            public ParameterSchema parameters() {
                return ParameterSchema.empty();
            }

            @Override
            public DistillationLoss create(ResolvedParameters parameters) {
                throw new NoSuchElementException("a class the plugin needs is missing");
            }
        };
        DistillExperiment experiment = TinyExperiments.load(dir, sharedData.resolve("synthetic"), List.of(broken),
                "distillation=broken-kd", "teacher.training.epochs=20");
        List<String> calls = new ArrayList<>();

        RunSetupException e = assertThrows(RunSetupException.class, () -> run(experiment, new RunListener() {
            @Override
            public void onEpoch(EpochResult epoch) {
                calls.add(epoch.model() + " epoch " + epoch.epoch());
            }
        }));

        assertEquals("distillation: the distillation loss 'broken-kd' from plugin 'bundled' 0 cannot be created from its"
                + " parameters {}: java.util.NoSuchElementException: a class the plugin needs is missing", e.getMessage());
        assertEquals(List.of(), calls, "no epoch trained");
        assertFalse(Files.exists(dir.resolve("runs")), "no run folder for a run that cannot start");
    }

    /**
     * The memory estimate, made before the components are tried, created the surrogate: its failure
     * escaped the pipeline as itself (exit 1), naming neither the slot nor the plugin.
     */
    @Test
    void aSurrogateThatCannotBeCreatedIsNamedBeforeAnythingIsBuilt() throws Exception {
        SurrogateFunctionProvider broken = new SurrogateFunctionProvider() {
            @Override
            public String id() {
                return "broken-surrogate";
            }

            @Override
            public String description() {
                return "a surrogate whose plugin is broken";
            }

            @Override
            public ParameterSchema parameters() {
                return ParameterSchema.empty();
            }

            @Override
            public SurrogateFunction create(ResolvedParameters parameters) {
                throw new NoSuchElementException("a class the plugin needs is missing");
            }
        };
        DistillExperiment experiment = TinyExperiments.load(dir, sharedData.resolve("synthetic"), List.of(broken),
                "surrogate=broken-surrogate");

        RunSetupException e = assertThrows(RunSetupException.class, () -> run(experiment));

        assertEquals("surrogate: the surrogate function 'broken-surrogate' from plugin 'bundled' 0 cannot be created"
                + " from its parameters {}: java.util.NoSuchElementException: a class the plugin needs is missing",
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("runs")), "no run folder for a run that cannot start");
    }

    @Test
    void anInitializationThatCannotMapTheTeacherStopsTheRunBeforeTheTeacherTrains() throws Exception {
        DistillExperiment experiment = tiny("teacher.model={architecture: resnet, depth: 18, widths: [4, 4, 8, 8]}",
                "teacher.training.epochs=20");

        RunSetupException e = assertThrows(RunSetupException.class, () -> run(experiment));

        assertTrue(e.getMessage().startsWith("initialization: loop-interpolation cannot map the teacher (resnet18)"
                + " onto the student (spiking-resnet8): teacher 'resnet18' has 4 stages and student"
                + " 'spiking-resnet8' has 3"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("runs")), "no run folder for a run that cannot start");
    }

    @Test
    void teacherWeightsAreLoadedInsteadOfTraining() throws Exception {
        RunResult trained = run(tiny("training.epochs=1"));
        Path weights = trained.folder().resolve("teacher.safetensors");

        RunResult loaded = run(tiny("training.epochs=1", "teacher.weights=" + weights));

        assertEquals(RunStatus.FINISHED, loaded.status(), () -> loaded.error().orElse(""));
        List<String> metrics = Files.readAllLines(loaded.folder().resolve("metrics.csv"));
        assertTrue(metrics.get(1).startsWith("teacher,0,,,,"), metrics.get(1));
        assertEquals(3, metrics.size() - 1, "teacher evaluated, student initialized and one epoch: " + metrics);
        assertEquals(trained.evaluation("teacher").orElseThrow().accuracy(), loaded.evaluation("teacher").orElseThrow().accuracy());

        Path pt = dir.resolve("teacher.pt");
        Files.writeString(pt, "not safetensors");
        ConfigException e = assertThrows(ConfigException.class, () -> tiny("teacher.weights=" + pt));
        assertTrue(e.getMessage().contains("teacher.weights: " + pt + " is not a .safetensors file"), e.getMessage());
    }

    @Test
    void aSpikingStudentsWeightsOrCheckpointAreRefusedAsTheAnnTeacher() throws Exception {
        RunResult trained = run(tiny("training.epochs=1", "teacher.training.epochs=1"));
        for (Path student : List.of(trained.folder().resolve("student.safetensors"),
                trained.folder().resolve("checkpoints/student-last.safetensors"))) {
            // the tiny student has the teacher's widths: names and shapes fit, only the metadata tells
            RunSetupException e = assertThrows(RunSetupException.class,
                    () -> run(tiny("teacher.weights=" + student)));

            assertTrue(e.getMessage().startsWith("teacher.weights: " + student + " does not fit the model"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("its metadata says it holds a spiking-resnet8 (model 'student'), not a"
                    + " resnet8"), e.getMessage());
        }
    }

    @Test
    void aStopRequestKeepsWhatWasWrittenAndSaysInterrupted() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        RunListener stopAfterFirstStudentStep = new RunListener() {
            @Override
            public void onStep(StepResult step) {
                if (step.model().equals(ExperimentPipeline.STUDENT)) {
                    stop.set(true);
                }
            }
        };
        RunResult result = ExperimentPipeline.builder(tiny()).clock(NEW_YEAR)
                .listener(stopAfterFirstStudentStep).stopWhen(stop::get).build().run();

        assertEquals(RunStatus.INTERRUPTED, result.status());
        assertEquals("interrupted\n", Files.readString(result.folder().resolve("status")));
        assertEquals(4, Files.readAllLines(result.folder().resolve("metrics.csv")).size(),
                "header, two teacher epochs, the student's evaluation after initialization");
        assertTrue(Files.size(result.folder().resolve("student.safetensors")) > 0);
        assertTrue(result.evaluation("student").isPresent(), "the student's evaluation after initialization");
    }

    @Test
    void aDivergingLossFailsTheRunNamingTheLearningRate() throws Exception {
        RunResult result = run(tiny("teacher.training.optimizer.lr=1e30"));

        assertEquals(RunStatus.FAILED, result.status());
        String status = Files.readString(result.folder().resolve("status"));
        assertTrue(status.startsWith("failed\nteacher: the training loss is "), status);
        assertTrue(status.contains("(set by teacher.training.optimizer.lr)"), status);
        assertEquals(result.error().orElseThrow() + "\n", status.substring("failed\n".length()));
        assertFalse(Files.exists(result.folder().resolve("student.safetensors")));
    }

    @Test
    void aFiniteButExplodingLossFailsTheRunNamingTheLearningRateAndTheDivergenceKeys() throws Exception {
        // lr 1e6: the student's loss reaches 1e17 and more but stays finite
        RunResult result = run(tiny("training.optimizer.lr=1e6", "training.epochs=4"));

        assertEquals(RunStatus.FAILED, result.status());
        String status = Files.readString(result.folder().resolve("status"));
        assertTrue(status.startsWith("failed\nstudent: the training loss is "), status);
        // the student's loss starts above ln 10 (cross-entropy and KD): its first step sets the bound
        assertTrue(Pattern.compile("above \\d+\\.\\d \\(100 x \\d\\.\\d+, the loss of the first step\\)"
                + " for 5 steps in a row").matcher(status).find(), status);
        assertTrue(status.contains("(set by training.optimizer.lr); the divergence check is training.divergence:"
                + " loss_factor and steps, or enabled: false to turn it off"), status);

        // the check switched off: the run goes on to the end, as before the rule existed
        RunResult unchecked = run(tiny("training.optimizer.lr=1e6", "training.epochs=4",
                "training.divergence.enabled=false"));
        assertEquals(RunStatus.FINISHED, unchecked.status(), () -> unchecked.error().orElse(""));
    }
}
