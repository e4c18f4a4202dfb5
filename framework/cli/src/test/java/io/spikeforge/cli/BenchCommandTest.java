package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

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
    void anUnknownWordOrAnOptionOfTheOtherFamilyIsAUsageError() {
        assertEquals(ExitCodes.USAGE, run(tiny("train", "--block", "sew")), this::output);
        assertTrue(cli.err().contains("'sew' is not one of spiking-basic, sew-add"), this::output);

        assertEquals(ExitCodes.USAGE, run(tiny("train", "--arch", "vgg", "--blocks-per-stage", "1")), this::output);
        assertTrue(cli.err().contains("--blocks-per-stage is for a ResNet"), this::output);

        assertEquals(ExitCodes.USAGE, run(tiny("train", "--arch", "resnet", "--pooling", "average")), this::output);
        assertTrue(cli.err().contains("--pooling is for a VGG"), this::output);
    }
}
