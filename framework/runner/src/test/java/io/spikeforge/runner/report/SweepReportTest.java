package io.spikeforge.runner.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.train.StepResult;
import io.spikeforge.runner.pipeline.ExperimentPipeline;
import io.spikeforge.runner.pipeline.RunListener;
import io.spikeforge.runner.pipeline.RunResult;
import io.spikeforge.runner.pipeline.TinyExperiments;
import io.spikeforge.runner.sweep.Arm;
import io.spikeforge.runner.sweep.ArmState;
import io.spikeforge.runner.sweep.SweepFolder;
import io.spikeforge.testkit.SlowTest;
import io.spikeforge.tracking.RunIdsFile;
import io.spikeforge.tracking.RunStatus;
import io.spikeforge.tracking.RunTags;
import io.spikeforge.tracking.RunTracker;
import io.spikeforge.tracking.RunTrackers;
import io.spikeforge.tracking.TrackedRun;
import io.spikeforge.tracking.TrackingOptions;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports of a sweep folder whose arms are real runs of the tiny IDSNN experiment: two learning
 * rates with two seeds each (finished), one arm stopped during its student's first epoch
 * (interrupted) and one never started (pending). Expected numbers are computed here from the run
 * folders' own {@code metrics.csv} and {@code energy.csv}.
 */
@SlowTest
class SweepReportTest {
    @TempDir
    static Path shared;
    static Path sweepDir;
    static List<Arm> arms;

    @TempDir
    Path dir;

    @BeforeAll
    static void runTheSweep() throws Exception {
        sweepDir = shared.resolve("sweep");
        SweepFolder sweep = SweepFolder.at(sweepDir);
        Files.createDirectories(sweepDir.resolve(SweepFolder.ARMS));
        Files.writeString(sweep.sweepFile(), "# the resolved sweep (its content is the sweep command's)\n");
        arms = List.of(
                arm(0, "lr=0.05,seed=1", "training.optimizer.lr", "0.05", "experiment.seed", "1"),
                arm(1, "lr=0.05,seed=2", "training.optimizer.lr", "0.05", "experiment.seed", "2"),
                arm(2, "lr=0.2,seed=1", "training.optimizer.lr", "0.2", "experiment.seed", "1"),
                arm(3, "lr=0.2,seed=2", "training.optimizer.lr", "0.2", "experiment.seed", "2"),
                arm(4, "lr=0.5,seed=1", "training.optimizer.lr", "0.5", "experiment.seed", "1"),
                arm(5, "lr=0.5,seed=2", "training.optimizer.lr", "0.5", "experiment.seed", "2"));
        Path data = shared.resolve("data");
        List<SweepFolder.IndexRow> index = new ArrayList<>();
        for (Arm arm : arms.subList(0, 5)) {
            Path work = Files.createDirectories(shared.resolve("work-" + arm.index()));
            AtomicBoolean stop = new AtomicBoolean();
            ExperimentPipeline.Builder builder = ExperimentPipeline.builder(TinyExperiments.load(work, data,
                    arm.overrideArguments().toArray(String[]::new)));
            if (arm.index() == 4) {
                builder.listener(new RunListener() {
                    @Override
                    public void onStep(StepResult step) {
                        stop.set(step.model().equals(ExperimentPipeline.STUDENT));
                    }
                }).stopWhen(stop::get);
            }
            RunResult result = builder.build().run();
            assertEquals(arm.index() == 4 ? RunStatus.INTERRUPTED : RunStatus.FINISHED, result.status(),
                    () -> result.error().orElse(""));
            // the sweep command runs an arm with its run folder at the arm's folder: move it there
            Files.move(result.folder(), sweep.armFolder(arm));
            index.add(new SweepFolder.IndexRow(arm, arm.index() == 4 ? ArmState.RUNNING : ArmState.FINISHED));
        }
        index.add(new SweepFolder.IndexRow(arms.get(5), ArmState.PENDING));
        sweep.writeIndex(index);
    }

    private static Arm arm(int index, String name, String... keysAndValues) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            overrides.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new Arm(index, name, overrides);
    }

    /** A copy of the sweep folder, for a test that writes its report. */
    private Path copyOfSweep() throws IOException {
        Path copy = dir.resolve("sweep");
        try (Stream<Path> files = Files.walk(sweepDir)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(sweepDir.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return copy;
    }

    /** The student's test accuracy (percent) by epoch, read from an arm's metrics.csv. */
    private static TreeMap<Integer, Double> studentAccuracy(Arm arm) throws IOException {
        TreeMap<Integer, Double> accuracy = new TreeMap<>();
        for (String[] cells : metricRows(arm)) {
            accuracy.put(Integer.parseInt(cells[1]), 100 * Double.parseDouble(cells[6]));
        }
        return accuracy;
    }

    private static List<String[]> metricRows(Arm arm) throws IOException {
        List<String> lines = Files.readAllLines(SweepFolder.at(sweepDir).armFolder(arm).resolve("metrics.csv"));
        assertEquals("model,epoch,lr,train_loss,train_accuracy,test_loss,test_accuracy,epoch_seconds,mean_firing_rate",
                lines.get(0));
        return lines.stream().skip(1).map(line -> line.split(",", -1)).filter(cells -> cells[0].equals("student"))
                .toList();
    }

    private static double mean(double a, double b) {
        return (a + b) / 2;
    }

    /** The sample standard deviation of two values. */
    private static double std(double a, double b) {
        return Math.abs(a - b) / Math.sqrt(2);
    }

    /** A CSV line's cells: a quoted cell may hold commas and doubled quotes (RFC 4180). */
    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                cell.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    /** report.csv as a list of rows, each a map of column to cell. */
    private static List<Map<String, String>> readCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String[] header = lines.get(0).split(",", -1);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = cells(line);
            assertEquals(header.length, cells.size(), line);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], cells.get(i));
            }
            rows.add(row);
        }
        return rows;
    }

    private static double number(Map<String, String> row, String column) {
        return Double.parseDouble(row.get(column));
    }

    @Test
    void groupedRowsAreTheMeanAndStandardDeviationOfTheSeedsMetrics() throws Exception {
        Path copy = copyOfSweep();
        Map<String, Path> written = SweepReport.build(copy, ReportSettings.defaults()).write();
        assertEquals(List.of("report.csv", "report-accuracy.png", "report-loss.png", "report.md"),
                List.copyOf(written.keySet()));

        List<Map<String, String>> rows = readCsv(copy.resolve("report.csv"));
        assertEquals(List.of("lr=0.05", "lr=0.2", "lr=0.5,seed=1", "lr=0.5,seed=2"),
                rows.stream().map(r -> r.get("arm")).toList());
        for (int group = 0; group < 2; group++) {
            Map<String, String> row = rows.get(group);
            Arm first = arms.get(2 * group);
            Arm second = arms.get(2 * group + 1);
            TreeMap<Integer, Double> a = studentAccuracy(first);
            TreeMap<Integer, Double> b = studentAccuracy(second);
            assertEquals("finished", row.get("state"));
            assertEquals("2", row.get("n"));
            assertEquals("student", row.get("model"));
            assertEquals(first.name() + ";" + second.name(), row.get("arms"));
            assertEquals("training.optimizer.lr=" + first.overrides().get("training.optimizer.lr"),
                    row.get("overrides"));
            assertEquals(2, number(row, "last_epoch"));
            double finalA = a.lastEntry().getValue();
            double finalB = b.lastEntry().getValue();
            assertEquals(mean(finalA, finalB), number(row, "final_accuracy"), 1e-6);
            assertEquals(std(finalA, finalB), number(row, "final_accuracy_std"), 1e-6);
            double bestA = a.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            double bestB = b.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            assertEquals(mean(bestA, bestB), number(row, "best_accuracy"), 1e-6);
            assertEquals(std(bestA, bestB), number(row, "best_accuracy_std"), 1e-6);
            double secondsA = metricRows(first).stream().filter(c -> !c[7].isEmpty())
                    .mapToDouble(c -> Double.parseDouble(c[7])).sum();
            double secondsB = metricRows(second).stream().filter(c -> !c[7].isEmpty())
                    .mapToDouble(c -> Double.parseDouble(c[7])).sum();
            assertTrue(secondsA > 0 && secondsB > 0);
            assertEquals(mean(secondsA, secondsB), number(row, "train_seconds"), 1e-6);
            double rateA = Double.parseDouble(metricRows(first).get(metricRows(first).size() - 1)[8]);
            double rateB = Double.parseDouble(metricRows(second).get(metricRows(second).size() - 1)[8]);
            assertEquals(mean(rateA, rateB), number(row, "firing_rate"), 1e-6);
            assertEquals(mean(energy(first), energy(second)), number(row, "energy_pj_per_image"), 1e-3);
            assertEquals("", row.get("target_epoch"), "no target asked");
            assertEquals("", row.get("convergence_epoch"), "no baseline asked");
        }

        Map<String, String> interrupted = rows.get(2);
        assertEquals("interrupted", interrupted.get("state"), "the run folder's status, not the index's 'running'");
        assertEquals("1", interrupted.get("n"));
        assertEquals(0, number(interrupted, "last_epoch"), "only the student's evaluation after initialization");
        assertEquals(studentAccuracy(arms.get(4)).get(0), number(interrupted, "final_accuracy"), 1e-6);
        assertEquals("", interrupted.get("final_accuracy_std"));
        assertEquals(energy(arms.get(4)), number(interrupted, "energy_pj_per_image"), 1e-3,
                "the energy of the student's evaluation after initialization");

        Map<String, String> pending = rows.get(3);
        assertEquals("pending", pending.get("state"));
        assertEquals("", pending.get("model"));
        assertEquals("", pending.get("final_accuracy"));
        assertEquals("", pending.get("train_seconds"));

        List<String> markdown = Files.readAllLines(copy.resolve("report.md"));
        assertEquals(SweepReport.MARKER, markdown.get(0));
        assertTrue(markdown.contains("| arm | state | n | model | epochs | final acc. (%) | best acc. (%) | "
                + "training time (s) | firing rate | energy (µJ/image) |"), String.join("\n", markdown));
        String lr005 = markdown.stream().filter(line -> line.startsWith("| lr=0.05 |")).findFirst().orElseThrow();
        assertTrue(lr005.startsWith(String.format(java.util.Locale.ROOT, "| lr=0.05 | finished | 2 | student | 2 | "
                + "%.2f ± %.2f |", number(rows.get(0), "final_accuracy"), number(rows.get(0), "final_accuracy_std"))),
                lr005);
        assertTrue(markdown.contains("| lr=0.5,seed=2 | pending | 1 | — | — | — | — | — | — | — |"),
                String.join("\n", markdown));
        assertTrue(markdown.contains("![test accuracy per epoch](report-accuracy.png)"));
        assertTrue(markdown.contains("![test loss per epoch](report-loss.png)"));
        assertTrue(markdown.contains("| 3 | lr=0.2,seed=2 | finished | arms/003-lr=0.2_seed=2 | "
                + "`training.optimizer.lr=0.2` `experiment.seed=2` |"), String.join("\n", markdown));
        for (String plot : List.of("report-accuracy.png", "report-loss.png")) {
            BufferedImage image = ImageIO.read(copy.resolve(plot).toFile());
            assertNotNull(image, plot + " is an image");
            assertEquals(800, image.getWidth());
        }

        // running it again rewrites its own files
        Files.writeString(copy.resolve("report.csv"), "stale\n");
        SweepReport.build(copy, ReportSettings.defaults()).write();
        assertEquals(rows, readCsv(copy.resolve("report.csv")));
    }

    private static double energy(Arm arm) throws IOException {
        return Files.readAllLines(SweepFolder.at(sweepDir).armFolder(arm).resolve("energy.csv")).stream()
                .map(line -> line.split(",")).filter(c -> c[0].equals("student") && c[1].equals("total"))
                .mapToDouble(c -> Double.parseDouble(c[4])).findFirst().orElseThrow();
    }

    @Test
    void perArmRowsTargetAndConvergenceEpochsFollowTheMetrics() throws Exception {
        double target = studentAccuracy(arms.get(0)).get(1);
        Path copy = copyOfSweep();
        SweepReport.build(copy, ReportSettings.defaults().withGroupBySeeds(false).withTargetAccuracy(target)
                .withConvergenceBaseline(arms.get(0).name())).write();
        List<Map<String, String>> rows = readCsv(copy.resolve("report.csv"));
        assertEquals(arms.stream().map(Arm::name).toList(), rows.stream().map(r -> r.get("arm")).toList());
        double baselineFinal = studentAccuracy(arms.get(0)).lastEntry().getValue();
        int baselineEpoch = firstEpochReaching(studentAccuracy(arms.get(0)), baselineFinal).orElseThrow();
        for (int i = 0; i < 5; i++) {
            TreeMap<Integer, Double> accuracy = studentAccuracy(arms.get(i));
            Map<String, String> row = rows.get(i);
            assertEquals(firstEpochReaching(accuracy, target).map(String::valueOf).orElse(""), row.get("target_epoch"),
                    row.toString());
            Optional<Integer> epoch = firstEpochReaching(accuracy, baselineFinal);
            assertEquals(epoch.map(String::valueOf).orElse(""), row.get("convergence_epoch"), row.toString());
            assertEquals(epoch.filter(e -> baselineEpoch > 0).map(e -> ReportTables.number(e / (double) baselineEpoch))
                    .orElse(""), row.get("convergence_ratio"));
        }
        assertFalse(rows.get(0).get("target_epoch").isEmpty(), "the first arm reaches its own epoch-1 accuracy");
        assertFalse(rows.get(0).get("convergence_epoch").isEmpty(), "the baseline reaches its own final accuracy");
        assertEquals("", rows.get(5).get("convergence_epoch"), "a pending arm has no epochs");
        String markdown = Files.readString(copy.resolve("report.md"));
        assertTrue(markdown.contains("| epoch to " + String.format(java.util.Locale.ROOT, "%.2f", target)
                + " % | epoch to lr=0.05,seed=1's final acc. | epochs vs lr=0.05,seed=1 |"), markdown);
    }

    private static Optional<Integer> firstEpochReaching(TreeMap<Integer, Double> accuracy, double percent) {
        return accuracy.entrySet().stream().filter(e -> e.getValue() >= percent).map(Map.Entry::getKey).findFirst();
    }

    @Test
    void aConvergenceBaselineThatIsNoRowIsRefusedNamingTheRows() {
        ReportException e = assertThrows(ReportException.class, () -> SweepReport.build(sweepDir,
                ReportSettings.defaults().withConvergenceBaseline("lr=0.1")));
        assertTrue(e.getMessage().contains("'lr=0.1' is no row of the report; the rows are: lr=0.05 (finished), "
                + "lr=0.2 (finished), lr=0.5,seed=1 (interrupted), lr=0.5,seed=2 (pending)"), e.getMessage());
        e = assertThrows(ReportException.class, () -> SweepReport.build(sweepDir,
                ReportSettings.defaults().withConvergenceBaseline("lr=0.5,seed=2")));
        assertTrue(e.getMessage().contains("'lr=0.5,seed=2' is a row without a final accuracy yet"), e.getMessage());
    }

    @Test
    void aReportFileSpikeforgeDidNotWriteIsNeverOverwritten() throws Exception {
        Path copy = copyOfSweep();
        Files.writeString(copy.resolve("report.md"), "# My notes on this sweep\n");
        ReportException e = assertThrows(ReportException.class,
                () -> SweepReport.build(copy, ReportSettings.defaults()).write());
        assertEquals(copy.resolve("report.md") + " was not written by spikeforge report (its first line is not "
                + SweepReport.MARKER + "): move it away to write the report", e.getMessage());
        assertEquals("# My notes on this sweep\n", Files.readString(copy.resolve("report.md")));
        assertFalse(Files.exists(copy.resolve("report.csv")), "nothing is written");

        Files.delete(copy.resolve("report.md"));
        Files.writeString(copy.resolve("report.csv"), "mine\n");
        e = assertThrows(ReportException.class, () -> SweepReport.build(copy, ReportSettings.defaults()).write());
        assertTrue(e.getMessage().startsWith(copy.resolve("report.csv") + " exists, but the sweep has no report.md"),
                e.getMessage());
        assertEquals("mine\n", Files.readString(copy.resolve("report.csv")));
        assertFalse(Files.exists(copy.resolve("report-accuracy.png")));
    }

    @Test
    void aFolderThatIsNotASweepIsRefusedNamingWhatIsMissing() throws Exception {
        ReportException e = assertThrows(ReportException.class,
                () -> SweepReport.build(dir, ReportSettings.defaults()));
        assertEquals(dir + ": not a sweep folder: it has no sweep.yaml", e.getMessage());
        Files.writeString(dir.resolve("sweep.yaml"), "");
        e = assertThrows(ReportException.class, () -> SweepReport.build(dir, ReportSettings.defaults()));
        assertEquals(dir + ": not a sweep folder: it has no index.tsv", e.getMessage());
        Path missing = dir.resolve("nowhere");
        e = assertThrows(ReportException.class, () -> SweepReport.build(missing, ReportSettings.defaults()));
        assertEquals(missing + ": no such folder", e.getMessage());
    }

    @Test
    void theReportIsLoggedToTheSweepsParentRunInTheMlflowStore() throws Exception {
        Path copy = copyOfSweep();
        Path store = dir.resolve("mlruns");
        TrackingOptions options = TrackingOptions.resolve(true, Optional.of(store.toUri()),
                TrackingOptions.DEFAULT_DELIVERY_TIMEOUT, Map.of(), dir);
        String parentId;
        try (RunTracker tracker = RunTrackers.open(options)) {
            TrackedRun parent = tracker.startRun("sweeps", "sweep", Optional.empty(),
                    Map.of(RunTags.RUN_FOLDER, copy.toString()));
            parentId = parent.runId();
            parent.end(RunStatus.FINISHED, Optional.empty());
            tracker.finish();
        }
        Optional<RunIdsFile.Entry> found = ParentRun.listedInSweepFolder().find(SweepFolder.at(copy));
        assertEquals(Optional.of(parentId), found.map(RunIdsFile.Entry::runId));

        SweepReport report = SweepReport.build(copy, ReportSettings.defaults().withConvergenceBaseline("lr=0.05"));
        Map<String, Path> files = report.write();
        ParentRun.log(found.get(), files, report.keyMetrics());

        Path run;
        try (Stream<Path> runs = Files.walk(store, 2)) {
            run = runs.filter(p -> p.getFileName().toString().equals(parentId)).findFirst().orElseThrow();
        }
        for (String name : List.of("report.md", "report.csv", "report-accuracy.png", "report-loss.png")) {
            assertArrayEquals(Files.readAllBytes(copy.resolve(name)),
                    Files.readAllBytes(run.resolve("artifacts/report").resolve(name)), name);
        }
        List<Map<String, String>> rows = readCsv(copy.resolve("report.csv"));
        Map<String, Double> logged = new HashMap<>();
        try (Stream<Path> metrics = Files.list(run.resolve("metrics"))) {
            for (Path metric : metrics.toList()) {
                String[] point = Files.readString(metric).strip().split(" ");
                assertEquals(3, point.length, metric.toString());
                assertEquals("0", point[2], "step 0");
                logged.put(metric.getFileName().toString(), Double.parseDouble(point[1]));
            }
        }
        assertEquals(number(rows.get(0), "best_accuracy"), logged.get("lr_0.05.best_accuracy"), 1e-6);
        assertEquals(number(rows.get(1), "final_accuracy"), logged.get("lr_0.2.final_accuracy"), 1e-6);
        String epoch = rows.get(1).get("convergence_epoch");
        assertEquals(epoch.isEmpty() ? null : Double.valueOf(epoch), logged.get("lr_0.2.convergence_epoch"));
        assertFalse(logged.containsKey("lr_0.5_seed_2.final_accuracy"), "a pending arm has no accuracy");
        assertTrue(logged.containsKey("lr_0.5_seed_1.final_accuracy"), "what the interrupted arm has so far");
    }
}
