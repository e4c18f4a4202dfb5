package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code bench} in process on models of a few channels and 8x8 images, one measured step each:
 * the words of experiment files select the model, the older constant names still work, and an
 * option of the other family is a usage error. Timings themselves are not checked.
 */
class BenchCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = SpikeforgeCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private String output() {
        return "--- stdout\n" + out + "--- stderr\n" + err;
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
        assertTrue(out.toString().contains("bench train: vgg11"), this::output);
        assertTrue(out.toString().contains("  average pooling"), this::output);
        String[] lines = out.toString().strip().split("\n");
        assertTrue(lines[lines.length - 1].matches("median_step_ms=\\d+\\.\\d peak_rss_mb=\\d+"), this::output);

        assertEquals(ExitCodes.OK, run(tiny("infer", "--arch", "spiking-vgg", "--widths", "4,4,8,8,8,8,8,8",
                "--timesteps", "2", "--batch-norm", "tdbn")), this::output);
        assertTrue(out.toString().contains("max pooling, batch norm tdbn"), this::output);
    }

    @Test
    void blockAndBatchNormTakeTheYamlWordsAndTheOldConstantNames() {
        assertEquals(ExitCodes.OK, run(tiny("infer", "--arch", "spiking-resnet", "--widths", "4,8",
                "--blocks-per-stage", "1", "--timesteps", "2", "--block", "sew-add", "--batch-norm", "tdbn")),
                this::output);
        assertTrue(out.toString().contains("block sew-add, batch norm tdbn"), this::output);

        assertEquals(ExitCodes.OK, run(tiny("infer", "--arch", "SPIKING_RESNET", "--widths", "4,8",
                "--blocks-per-stage", "1", "--timesteps", "2", "--block", "SEW_ADD", "--batch-norm", "BN")),
                this::output);
        assertTrue(out.toString().contains("block sew-add, batch norm bn"), this::output);
    }

    @Test
    void anUnknownWordOrAnOptionOfTheOtherFamilyIsAUsageError() {
        assertEquals(ExitCodes.USAGE, run(tiny("train", "--block", "sew")), this::output);
        assertTrue(err.toString().contains("'sew' is not one of spiking-basic, sew-add"), this::output);

        assertEquals(ExitCodes.USAGE, run(tiny("train", "--arch", "vgg", "--blocks-per-stage", "1")), this::output);
        assertTrue(err.toString().contains("--blocks-per-stage is for a ResNet"), this::output);

        assertEquals(ExitCodes.USAGE, run(tiny("train", "--arch", "resnet", "--pooling", "average")), this::output);
        assertTrue(err.toString().contains("--pooling is for a VGG"), this::output);
    }
}
