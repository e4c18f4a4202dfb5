package io.spikeforge.cli;

import io.spikeforge.engine.data.DatasetKind;
import io.spikeforge.engine.data.ImageShape;
import io.spikeforge.engine.model.Model;
import io.spikeforge.engine.model.ModelSummary;
import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.config.Experiment;
import io.spikeforge.runner.pipeline.ModelEvaluation;
import io.spikeforge.runner.pipeline.RunSetupException;
import io.spikeforge.runner.plugin.PluginHost;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code spikeforge summary}: a model's layers, output shapes, parameters and MACs, as torchinfo prints them. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = {"Print the layers of a model an experiment describes, as torchinfo does: each layer in forward "
                + "order with its output shape for one image (a spiking layer's for each of its T time-steps), its "
                + "trainable parameters and its multiply-accumulates (MACs: convolutions and linear layers, as dense "
                + "arithmetic), and the totals.",
            "The images have the shape of the experiment's data set, which is not read. Change the model with "
                    + "overrides like any experiment key (model.depth=20, student.model.widths=[16,32,64])."})
final class SummaryCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SpikeforgeCli root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ModelArguments arguments;

    @Override
    public Integer call() throws ConfigException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (PluginHost host = PluginHostSupport.start(root, err)) {
            Experiment loaded = arguments.load(host, err);
            ModelEvaluation.Section section = arguments.section(loaded);
            DatasetKind data = loaded.dataset().name();
            ImageShape shape = data.shape();
            Model built = ModelEvaluation.build(section, shape, data.classes(), host.components());
            print(section, ModelSummary.of(built, shape.side(), shape.side()), out);
            out.flush();
            return ExitCodes.OK;
        } catch (RunSetupException e) {
            root.printError(err, e.getMessage(), e);
            return ExitCodes.RUN_FAILED;
        }
    }

    static void print(ModelEvaluation.Section section, ModelSummary summary, PrintWriter out) {
        int nameWidth = Math.max(5, summary.layers().stream().mapToInt(r -> r.name().length()).max().orElse(0));
        int typeWidth = Math.max(4, summary.layers().stream().mapToInt(r -> r.type().length()).max().orElse(0));
        String format = "%-" + nameWidth + "s  %-" + typeWidth + "s  %-20s %11s %10s%n";
        out.println(section.name() + ": " + summary.architecture() + (summary.timeSteps() > 1 ? ", T="
                + summary.timeSteps() : "") + " (" + section.key() + "), input " + shape(summary.inputShape()));
        String header = String.format(Locale.ROOT, format, "layer", "type", "output shape", "params", "MACs");
        out.print(header);
        out.println("-".repeat(header.length() - 1));
        for (ModelSummary.Row row : summary.layers()) {
            String output = (row.outputRows() > 1 ? row.outputRows() + " x " : "") + shape(row.outputShape());
            // torchinfo's word for a layer's later uses, whose parameters the total does not count again
            out.printf(Locale.ROOT, format, row.name(), row.type(), output,
                    row.repeated() ? "(recursive)" : count(row.parameters()),
                    row.multiplyAccumulates() == 0 ? "--" : RunCommand.operations(row.multiplyAccumulates()));
        }
        out.println("-".repeat(header.length() - 1));
        out.printf(Locale.ROOT, "total params: %s (%s)%n", count(summary.totalParameters()),
                String.format(Locale.ROOT, "%.2f MB as float32", summary.totalParameters() * 4 / 1e6));
        out.printf(Locale.ROOT, "total MACs per image: %s%n", RunCommand.operations(summary.totalMultiplyAccumulates()));
    }

    private static String shape(long[] shape) {
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String count(long value) {
        return value == 0 ? "--" : String.format(Locale.ROOT, "%,d", value);
    }
}
