package io.spikeforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.io.Safetensors;
import io.spikeforge.engine.io.WeightImport;
import io.spikeforge.engine.model.ResNet;
import io.spikeforge.engine.train.Sgd;
import io.spikeforge.engine.train.TrainingCheckpoint;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spikeforge eval} and {@code summary} in process on a model PyTorch trained and saved
 * (tools/pytorch-reference/make_eval_fixture.py): eval reports the images PyTorch classified
 * correctly, overall and per class, and its loss, from the file or from a checkpoint holding it; a
 * file of another model is refused with the tensor and both shapes.
 */
class EvalCommandTest {
    private static final double LOSS_TOLERANCE = 1e-5;

    @TempDir
    static Path temp;

    private static Path data;
    private static Path weights;
    private static Path experiment;
    private static Map<String, String> pytorch;

    private final InProcessCli cli = new InProcessCli();

    @BeforeAll
    static void pytorchFixtureAndItsData() throws IOException, URISyntaxException {
        weights = resource("eval/pytorch-resnet8.safetensors");
        experiment = resource("eval/pytorch-resnet8.yaml");
        pytorch = Safetensors.read(weights).metadata();
        data = temp.resolve("synthetic-eval");
        InProcessCli synth = new InProcessCli();
        // the set the fixture's metadata names: make_eval_fixture.py read the same bytes
        assertEquals(ExitCodes.OK, synth.run("data", "synth", "--train", "2000", "--test", "1000", "--seed", "7",
                "--out", data.toString()), synth.output());
        assertTrue(pytorch.get("data").startsWith("./spikeforge data synth --train 2000 --test 1000 --seed 7 "),
                pytorch.get("data"));
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(EvalCommandTest.class.getClassLoader().getResource(name).toURI());
    }

    private int eval(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("eval", experiment.toString(), "--weights",
                weights.toString(), "dataset.path=" + data));
        args.addAll(Arrays.asList(extra));
        return cli.run(args.toArray(String[]::new));
    }

    @Test
    void evalReportsTheAccuracyAndLossPyTorchReportsOnTheSameImages() throws IOException {
        Path json = temp.resolve("result.json");

        int code = eval("--output", json.toString());

        assertEquals(ExitCodes.OK, code, cli.output());
        int images = Integer.parseInt(pytorch.get("eval.images"));
        int correct = Integer.parseInt(pytorch.get("eval.correct"));
        double loss = Double.parseDouble(pytorch.get("eval.loss"));
        String out = cli.out();
        assertTrue(out.contains(String.format(Locale.ROOT, "accuracy %.2f%% (%d of %d)\n", 100.0 * correct / images,
                correct, images)), "PyTorch: " + correct + " of " + images + "\n" + out);
        String text = Files.readString(json);
        assertTrue(text.contains("\"correct\": " + correct + ",\n"), text);
        double reported = Double.parseDouble(text.replaceAll("(?s).*\"loss\": ([^,]+),.*", "$1"));
        assertEquals(loss, reported, LOSS_TOLERANCE * Math.max(1, loss), "the mean cross-entropy");
        List<Integer> perClass = Arrays.stream(pytorch.get("eval.correct_per_class").replaceAll("[\\[\\] ]", "")
                .split(",")).map(Integer::valueOf).toList();
        for (int c = 0; c < perClass.size(); c++) {
            assertTrue(text.contains("{\"class\": " + c + ", \"images\": "), text);
            assertTrue(text.matches("(?s).*\\{\"class\": " + c + ", \"images\": \\d+, \"correct\": " + perClass.get(c)
                    + ",.*"), "class " + c + ": PyTorch " + perClass.get(c) + "\n" + text);
        }
        assertTrue(out.contains("energy "), "an ANN's MACs and energy per image:\n" + out);
    }

    @Test
    void aCsvFileHoldsOneRowPerMeasureAndAnExistingFileIsNotReplaced() throws IOException {
        Path csv = temp.resolve("result.csv");

        assertEquals(ExitCodes.OK, eval("--output", csv.toString()), cli.output());
        List<String> rows = Files.readAllLines(csv);
        assertEquals("measure,scope,value", rows.get(0));
        assertTrue(rows.contains("correct,all," + pytorch.get("eval.correct")), rows.toString());
        assertTrue(rows.stream().anyMatch(r -> r.startsWith("macs,conv1,")), rows.toString());

        String before = Files.readString(csv);
        assertEquals(ExitCodes.USAGE, eval("--output", csv.toString()), cli.output());
        assertTrue(cli.err().contains("--output " + csv + ": the file exists"), cli.err());
        assertEquals(before, Files.readString(csv));
    }

    @Test
    void weightsOfAnotherModelAreRefusedNamingTheFileTheTensorAndBothShapes() {
        int code = eval("model.widths=[8,16,64]");

        assertEquals(ExitCodes.RUN_FAILED, code, cli.output());
        String err = cli.err();
        assertTrue(err.startsWith("error: weights: "), err);
        assertTrue(err.contains(weights.toString()), err);
        assertTrue(err.contains("layer3.0.conv1.weight"), err);
        assertTrue(err.contains("[64, 16, 3, 3]") && err.contains("[32, 16, 3, 3]"), err);
        assertFalse(cli.out().contains("accuracy"), cli.out());
    }

    @Test
    void aModelTheExperimentLacksIsNamedWithThoseItHas() {
        assertEquals(ExitCodes.RUN_FAILED, eval("--model", "teacher"), cli.output());
        assertEquals("error: a train experiment has no model 'teacher'; it has model\n", cli.err());
    }

    @Test
    void summaryListsTheLayersWithOutputShapesParametersAndMacs() throws IOException {
        int code = cli.run("summary", experiment.toString(), "dataset.path=" + data);

        assertEquals(ExitCodes.OK, code, cli.output());
        String out = cli.out();
        assertTrue(out.startsWith("model: resnet8 (model), input [3, 32, 32]\n"), out);
        // conv1: 8 x 3 x 3 x 3 weights; 8 x 32 x 32 outputs of 27 MACs each
        assertTrue(out.matches("(?s).*\nconv1 +Conv2d +\\[8, 32, 32\\] +216 +221\\.18 k\n.*"), out);
        assertTrue(out.matches("(?s).*\nfc +Linear +\\[10\\] +330 +320\n.*"), out); // 32 x 10 weights and 10 biases; 32 x 10 MACs
        // the block's one relu acts twice, as in torchvision: at its second use it is marked as torchinfo does
        assertTrue(out.matches("(?s).*\nlayer1\\.0\\.bn1 +BatchNorm2d +\\[8, 32, 32\\] +16 +--\nlayer1\\.0\\.relu +ReLU +"
                + "\\[8, 32, 32\\] +-- +--\n.*\nlayer1\\.0\\.bn2 +BatchNorm2d +\\[8, 32, 32\\] +16 +--\n"
                + "layer1\\.0\\.relu +ReLU +\\[8, 32, 32\\] +\\(recursive\\) +--\n.*"), out);
        long parameters = Safetensors.read(weights).tensors().entrySet().stream()
                .filter(e -> !e.getKey().contains("running_") && !e.getKey().endsWith("num_batches_tracked"))
                .mapToLong(e -> e.getValue().length()).sum();
        assertTrue(out.contains(String.format(Locale.ROOT, "total params: %,d ", parameters)),
                "PyTorch's parameters: " + parameters + "\n" + out);
    }

    @Test
    void aSpikingModelGetsFiringRatesPerLayerAndSynapticOperations() {
        // the spiking ResNet's state dict has the ANN's names: the same file loads into it
        int code = eval("model.architecture=spiking-resnet", "model.timesteps=2");

        assertEquals(ExitCodes.OK, code, cli.output());
        String out = cli.out();
        assertTrue(out.startsWith("model    model: spiking-resnet8, T=2 (model)\n"), out);
        assertTrue(out.matches("(?s).*\nspiking layer +firing rate\nsn1 +0\\.\\d{4}\n.*"), out);
        assertTrue(out.matches("(?s).*\nlayer3\\.0\\.sn2 +0\\.\\d{4}\nmean +0\\.\\d{4}\n.*"), out);
        assertTrue(out.matches("(?s).*\nlayer1\\.0\\.conv1 +[0-9.]+ [kM] +0 +[0-9.]+\n.*"),
                "a layer driven by spikes does synaptic operations, no MACs:\n" + out);
        assertFalse(out.contains("energy 0 mJ"), out);
    }

    @Test
    void aSpikingSummaryGivesEachLayersOutputForEveryTimeStepAndItsDenseMacs() {
        int code = cli.run("summary", experiment.toString(), "dataset.path=" + data, "model.architecture=spiking-resnet",
                "model.timesteps=2");

        assertEquals(ExitCodes.OK, code, cli.output());
        String out = cli.out();
        assertTrue(out.startsWith("model: spiking-resnet8, T=2 (model), input [3, 32, 32]\n"), out);
        // the encoding convolution runs once per image; the next ones at each of the T=2 steps
        assertTrue(out.matches("(?s).*\nconv1 +DirectEncodingStem +2 x \\[8, 32, 32\\] +216 +221\\.18 k\n.*"), out);
        assertTrue(out.matches("(?s).*\nsn1 +SpikingActivation +2 x \\[8, 32, 32\\] +-- +--\n.*"), out);
        assertTrue(out.matches("(?s).*\nlayer1\\.0\\.conv1 +Conv2d +2 x \\[8, 32, 32\\] +576 +1\\.18 M\n.*"), out);
    }

    @Test
    void aCheckpointOfTheModelGivesTheSameResultAsItsWeights() throws IOException {
        ResNet model = ResNet.builder().optWidths(8, 16, 32).optBlocksPerStage(1).optClasses(10).build();
        WeightImport.importInto(weights, model.stateDict());
        Path checkpoint = temp.resolve("model-best.safetensors");
        TrainingCheckpoint.write(checkpoint, model, new Sgd(0.9, 1e-4, false), Map.of("epoch", "4"));

        int code = cli.run("eval", experiment.toString(), "--weights", checkpoint.toString(), "dataset.path=" + data);

        assertEquals(ExitCodes.OK, code, cli.output());
        int correct = Integer.parseInt(pytorch.get("eval.correct"));
        assertTrue(cli.out().contains("(" + correct + " of " + pytorch.get("eval.images") + ")\n"), cli.out());
    }

    @Test
    void withoutAnExperimentFileOverridesAloneDescribeTheModelAndTheData() {
        int code = cli.run("eval", "--weights", weights.toString(), "model.depth=8", "model.widths=[8,16,32]",
                "dataset.path=" + data, "dataset.normalize=false");

        assertEquals(ExitCodes.OK, code, cli.output());
        assertTrue(cli.out().contains("(" + pytorch.get("eval.correct") + " of " + pytorch.get("eval.images") + ")\n"),
                cli.out());

        assertEquals(ExitCodes.OK, cli.run("summary", "model.architecture=spiking-resnet", "model.depth=8",
                "model.timesteps=2"), cli.output());
        assertTrue(cli.out().startsWith("model: spiking-resnet8, T=2 (model), input [3, 32, 32]\n"), cli.out());
    }
}
