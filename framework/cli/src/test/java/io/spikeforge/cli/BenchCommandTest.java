package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench} in process on models of a few channels and 8x8 images, one measured step each:
 * the words of experiment files select the model, the older constant names still work, and an
 * option of the other family is a usage error. Timings themselves are not checked.
 */
class BenchCommandTest {
    private final InProcessCli cli = new InProcessCli();

    private int run(String... args) {
        return cli.run(args);
    }

    private String output() {
        return cli.output();
    }

    private static String[] tiny(String mode, String... more) {
        String[] common = {"bench", mode, "--batch", "2", "--image-size", "8", "--warmup", "0", "--steps", "1"};
        String[] args = new String[common.length + more.length];
        System.arraycopy(common, 0, args, 0, common.length);
        System.arraycopy(more, 0, args, common.length, more.length);
        return args;
    }

    @Test
    void aVggIsBenchedByItsExperimentWords() {
        assertEquals(ExitCodes.OK, run(tiny("train", "--architecture", "vgg", "--widths", "4,4,8,8,8,8,8,8",
                "--pooling", "average")), this::output);
        assertTrue(cli.out().contains("bench train: vgg11"), this::output);
        assertTrue(cli.out().contains("  average pooling"), this::output);
        String[] lines = cli.out().strip().split("\n");
        assertTrue(lines[lines.length - 1].matches("median_step_ms=\\d+\\.\\d peak_rss_mb=\\d+"), this::output);

        assertEquals(ExitCodes.OK, run(tiny("infer", "--arch", "spiking-vgg", "--widths", "4,4,8,8,8,8,8,8",
                "--timesteps", "2", "--batch-norm", "tdbn")), this::output);
        assertTrue(cli.out().contains("max pooling, batch norm tdbn"), this::output);
    }

    @Test
    void blockAndBatchNormTakeTheYamlWordsAndTheOldConstantNames() {
        assertEquals(ExitCodes.OK, run(tiny("infer", "--arch", "spiking-resnet", "--widths", "4,8",
                "--blocks-per-stage", "1", "--timesteps", "2", "--block", "sew-add", "--batch-norm", "tdbn")),
                this::output);
        assertTrue(cli.out().contains("block sew-add, batch norm tdbn"), this::output);

        assertEquals(ExitCodes.OK, run(tiny("infer", "--arch", "SPIKING_RESNET", "--widths", "4,8",
                "--blocks-per-stage", "1", "--timesteps", "2", "--block", "SEW_ADD", "--batch-norm", "BN")),
                this::output);
        assertTrue(cli.out().contains("block sew-add, batch norm bn"), this::output);
    }

    @Test
    void spikingInferenceStepsThroughTimeUnlessAskedForAllSteps() {
        String[] model = {"--arch", "spiking-resnet", "--widths", "4,8", "--blocks-per-stage", "1", "--timesteps", "3"};
        assertEquals(ExitCodes.OK, run(tiny("infer", model)), this::output);
        assertTrue(cli.out().contains("stepping through time: one time-step at a time"), this::output);

        String[] allSteps = Arrays.copyOf(model, model.length + 1);
        allSteps[model.length] = "--all-steps";
        assertEquals(ExitCodes.OK, run(tiny("infer", allSteps)), this::output);
        assertTrue(cli.out().contains("all T steps at once on [T*B, ...] (--all-steps)"), this::output);

        assertEquals(ExitCodes.USAGE, run(tiny("infer", "--arch", "resnet", "--widths", "4,8", "--all-steps")),
                this::output);
        assertTrue(cli.err().contains("--all-steps is for a spiking model"), this::output);
        assertEquals(ExitCodes.USAGE, run(tiny("train", "--all-steps")), this::output);
    }

    @Test
    void aSpikingBatchStepsInPartsWhenAsked() {
        String[] model = {"--arch", "spiking-resnet", "--widths", "4,8", "--blocks-per-stage", "1", "--timesteps", "3"};
        String[] parts = Arrays.copyOf(model, model.length + 2);
        parts[model.length] = "--rows-per-part";
        parts[model.length + 1] = "1";
        assertEquals(ExitCodes.OK, run(tiny("infer", parts)), this::output);
        assertTrue(cli.out().contains("; in parts of 1 row (--rows-per-part 1)"), this::output);

        parts[model.length + 1] = "2";
        assertEquals(ExitCodes.OK, run(tiny("infer", parts)), this::output);
        assertTrue(cli.out().contains("running sum (--all-steps: all T*B rows at once)\n"), this::output);

        parts[model.length + 1] = "0";
        assertEquals(ExitCodes.USAGE, run(tiny("infer", parts)), this::output);
        assertTrue(cli.err().contains("--rows-per-part must be at least 1, got 0"), this::output);
        String[] allSteps = Arrays.copyOf(parts, parts.length + 1);
        allSteps[model.length + 1] = "1";
        allSteps[parts.length] = "--all-steps";
        assertEquals(ExitCodes.USAGE, run(tiny("infer", allSteps)), this::output);
        assertTrue(cli.err().contains("--rows-per-part is for a spiking model stepping through time"), this::output);
        assertEquals(ExitCodes.USAGE, run(tiny("infer", "--arch", "resnet", "--widths", "4,8", "--rows-per-part", "1")),
                this::output);
        assertTrue(cli.err().contains("has no time-steps"), this::output);
    }

    @Test
    void anUnknownWordOrAnOptionOfTheOtherFamilyIsAUsageError() {
        assertEquals(ExitCodes.USAGE, run(tiny("train", "--block", "sew")), this::output);
        assertTrue(cli.err().contains("'sew' is not one of spiking-basic, sew-add"), this::output);

        assertEquals(ExitCodes.USAGE, run(tiny("train", "--arch", "vgg", "--blocks-per-stage", "1")), this::output);
        assertTrue(cli.err().contains("--blocks-per-stage is for a ResNet"), this::output);

        assertEquals(ExitCodes.USAGE, run(tiny("train", "--arch", "resnet", "--pooling", "average")), this::output);
        assertTrue(cli.err().contains("--pooling is for a VGG"), this::output);
    }

    /**
     * A sweep over T and the batch times every pair, smallest first, in one table and one CSV file:
     * positive times, the forward work of the step exactly proportional to the batch and growing
     * with T (less than in proportion: the stem and the classifier run once per image, not per step).
     */
    @Test
    void aSweepTimesEveryPairOfTAndBatch(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("sweep.csv");
        assertEquals(ExitCodes.OK, run("bench", "train", "--arch", "spiking-resnet", "--widths", "4,8",
                "--blocks-per-stage", "1", "--image-size", "8", "--warmup", "1", "--steps", "2",
                "--sweep-timesteps", "2,1", "--sweep-batch", "4,2", "--csv", csv.toString(), "--plot",
                dir.resolve("sweep.png").toString()), this::output);
        assertTrue(cli.out().contains("bench train sweep: spiking-resnet"), this::output);
        assertTrue(cli.out().contains("  1 warm-up steps and 2 measured at each point"), this::output);
        assertTrue(cli.out().contains("   T  batch  median ms"), this::output);

        List<String> lines = Files.readAllLines(csv);
        assertEquals(BenchSweep.CSV_HEADER, lines.get(0));
        List<double[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            rows.add(Arrays.stream(line.split(",")).mapToDouble(Double::parseDouble).toArray());
        }
        assertEquals(4, rows.size(), lines::toString);
        double[][] points = {{1, 2}, {1, 4}, {2, 2}, {2, 4}};
        for (int i = 0; i < 4; i++) {
            double[] row = rows.get(i);
            assertEquals(points[i][0], row[0], "T of row " + i);
            assertEquals(points[i][1], row[1], "batch of row " + i);
            assertTrue(row[2] > 0 && row[3] > 0 && row[3] <= row[2], "median and min step of row " + i);
            assertTrue(row[4] > 0, "images/s of row " + i);
            assertTrue(row[6] > 0 && row[7] < row[6] && row[8] > 0, "peak, model and estimated memory of row " + i);
        }
        assertEquals(2 * rows.get(0)[5], rows.get(1)[5], 1e-9 * rows.get(1)[5], "MACs: twice the batch");
        assertEquals(2 * rows.get(2)[5], rows.get(3)[5], 1e-9 * rows.get(3)[5], "MACs: twice the batch");
        double growthWithT = rows.get(2)[5] / rows.get(0)[5];
        assertTrue(growthWithT > 1.5 && growthWithT < 2, "MACs from T=1 to T=2: x" + growthWithT);
        assertTrue(rows.get(3)[8] > rows.get(0)[8], "the estimate grows with T and batch");

        byte[] png = Files.readAllBytes(dir.resolve("sweep.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG");
        BufferedImage image = ImageIO.read(dir.resolve("sweep.png").toFile());
        assertTrue(image.getWidth() > 100 && image.getHeight() > 100, "a readable image");

        String table = cli.out().substring(cli.out().indexOf("   T  batch"));
        assertEquals(4, table.lines().filter(line -> line.matches("\\s+\\d+\\s+\\d+\\s+\\d+\\.\\d.*")).count(),
                table);
    }

    @Test
    void anAnnSweepsTheBatchOnly() {
        assertEquals(ExitCodes.OK, run("bench", "infer", "--arch", "resnet", "--widths", "4,8", "--blocks-per-stage",
                "1", "--image-size", "8", "--warmup", "0", "--steps", "1", "--sweep-batch", "1,3"), this::output);
        String table = cli.out().substring(cli.out().indexOf("  batch  median ms"));
        List<String> rows = table.lines().skip(1).filter(line -> line.matches("\\s+\\d+\\s+\\d+\\.\\d.*")).toList();
        assertEquals(2, rows.size(), table);
        assertTrue(rows.get(1).contains("   3.00 "), "three times the first point's work: " + rows.get(1));

        assertEquals(ExitCodes.USAGE, run("bench", "train", "--arch", "resnet", "--sweep-timesteps", "1,2"),
                this::output);
        assertTrue(cli.err().contains("--sweep-timesteps is for a spiking model; resnet has no time-steps"),
                this::output);
    }

    @Test
    void sweepOptionsAreCheckedBeforeAnythingRuns(@TempDir Path dir) throws IOException {
        assertEquals(ExitCodes.USAGE, run(tiny("train", "--sweep-batch", "2,4")), this::output);
        assertTrue(cli.err().contains("--sweep-batch replaces --batch; give one of them"), this::output);

        assertEquals(ExitCodes.USAGE, run("bench", "train", "--timesteps", "2", "--sweep-timesteps", "1,2"),
                this::output);
        assertTrue(cli.err().contains("--sweep-timesteps replaces --timesteps"), this::output);

        assertEquals(ExitCodes.USAGE, run("bench", "train", "--sweep-timesteps", "1,0"), this::output);
        assertTrue(cli.err().contains("--sweep-timesteps must be at least 1, got 0"), this::output);

        assertEquals(ExitCodes.USAGE, run("bench", "train", "--sweep-batch", "8,16,8"), this::output);
        assertTrue(cli.err().contains("--sweep-batch names 8 twice"), this::output);

        assertEquals(ExitCodes.USAGE, run(tiny("train", "--csv", dir.resolve("one.csv").toString())), this::output);
        assertTrue(cli.err().contains("--csv is for a sweep; give --sweep-timesteps or --sweep-batch"), this::output);
        assertFalse(Files.exists(dir.resolve("one.csv")));
        assertEquals(ExitCodes.USAGE, run(tiny("train", "--plot", dir.resolve("one.png").toString())), this::output);
        assertTrue(cli.err().contains("--plot is for a sweep"), this::output);

        assertEquals(ExitCodes.USAGE, run("bench", "train", "--sweep-timesteps", "1,2", "--csv",
                dir.resolve("same").toString(), "--plot", dir.resolve("same").toString()), this::output);
        assertTrue(cli.err().contains("--csv and --plot name the same file"), this::output);

        Path existing = Files.writeString(dir.resolve("mine.csv"), "not Spikeforge's");
        assertEquals(ExitCodes.USAGE, run("bench", "train", "--sweep-timesteps", "1,2", "--csv", existing.toString()),
                this::output);
        assertTrue(cli.err().contains("the file exists; give a new file"), this::output);
        assertEquals("not Spikeforge's", Files.readString(existing));

        assertEquals(ExitCodes.USAGE, run("bench", "train", "--sweep-timesteps", "1,2", "--csv",
                dir.resolve("missing/sweep.csv").toString()), this::output);
        assertTrue(cli.err().contains("no folder"), this::output);
    }

    /** A sweep whose largest point does not fit is refused before any point runs, naming that point. */
    @Test
    void aSweepPointTooLargeIsRefusedByName() {
        assertEquals(ExitCodes.USAGE, run("bench", "train", "--widths", "4,8", "--blocks-per-stage", "1",
                "--image-size", "8", "--sweep-timesteps", "1,2", "--sweep-batch", "2,100000000"), this::output);
        assertTrue(cli.err().contains("(T=1, batch 100000000) need about"), this::output);
        assertFalse(cli.out().contains("median ms"), this::output);
    }
}
