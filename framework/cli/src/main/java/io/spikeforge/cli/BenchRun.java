package io.spikeforge.cli;

import io.spikeforge.api.component.ComponentKind;
import io.spikeforge.api.config.YamlChoice;
import io.spikeforge.api.component.InvalidParametersException;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.neuron.NeuronModelProvider;
import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.api.neuron.SurrogateFunctionProvider;
import io.spikeforge.engine.NativeBackend;
import io.spikeforge.engine.bench.StepBenchmark;
import io.spikeforge.api.model.Parameter;
import io.spikeforge.engine.layer.SoftmaxCrossEntropy;
import io.spikeforge.engine.model.BatchNormMode;
import io.spikeforge.engine.model.BlockType;
import io.spikeforge.engine.model.Model;
import io.spikeforge.engine.model.ModelBuilder;
import io.spikeforge.engine.model.NeuronFactory;
import io.spikeforge.engine.model.Pooling2d;
import io.spikeforge.engine.model.ResNet;
import io.spikeforge.engine.model.StepwiseInference;
import io.spikeforge.engine.model.Vgg;
import io.spikeforge.engine.tensor.KernelTimer;
import io.spikeforge.engine.tensor.MemoryBudget;
import io.spikeforge.engine.tensor.MemoryEstimate;
import io.spikeforge.engine.tensor.ProcessMemory;
import io.spikeforge.engine.train.Sgd;
import io.spikeforge.runner.plugin.PluginHost;
import io.spikeforge.runner.plugin.RegisteredComponent;
import io.spikeforge.common.AtomicFiles;
import io.spikeforge.engine.model.ModelSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.Random;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** What {@code bench train} and {@code bench infer} share: the model, the data, the measurement. */
abstract class BenchRun implements Callable<Integer> {
    private static final int INPUT_CHANNELS = 3;
    /** Most steps of each kind: the step times are kept on the heap, and a million take hours already. */
    private static final int MAX_STEPS = 1_000_000;

    /** Which network to time, by the words of {@code model.architecture} in experiment files. */
    enum Arch implements YamlChoice {
        RESNET("resnet", false, 18),
        SPIKING_RESNET("spiking-resnet", true, 18),
        VGG("vgg", false, 11),
        SPIKING_VGG("spiking-vgg", true, 11);

        private final String yamlName;
        private final boolean spiking;
        private final int defaultDepth;

        Arch(String yamlName, boolean spiking, int defaultDepth) {
            this.yamlName = yamlName;
            this.spiking = spiking;
            this.defaultDepth = defaultDepth;
        }

        @Override
        public String yamlName() {
            return yamlName;
        }

        boolean vgg() {
            return this == VGG || this == SPIKING_VGG;
        }

        @Override
        public String toString() {
            return yamlName;
        }
    }

    @CommandLine.ParentCommand
    BenchCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"--arch", "--architecture"}, defaultValue = "spiking-resnet", converter = ArchConverter.class,
            description = "resnet, spiking-resnet, vgg or spiking-vgg (the words of model.architecture);"
                    + " default ${DEFAULT-VALUE}.")
    Arch arch;

    @Option(names = "--depth", description = "ResNet: 18, 34 (four stages) or 8, 14, 20, 32, 44, 56, 110 (three);"
            + " VGG: 11 or 16; default 18 for a ResNet, 11 for a VGG.")
    Integer depth;

    @Option(names = "--widths", split = ",", paramLabel = "W",
            description = "ResNet: stage widths, e.g. 16,32,64 (replaces the depth's, and sets the stage count);"
                    + " VGG: one width per convolution (8 for VGG-11, 13 for VGG-16).")
    int[] widths;

    @Option(names = "--blocks-per-stage", split = ",", paramLabel = "N",
            description = "ResNet: blocks in each stage, one value for all or one per stage (replaces the depth's).")
    int[] blocksPerStage;

    @Option(names = "--pooling", defaultValue = "max", converter = PoolingConverter.class,
            description = "VGG: max or average pooling after each group; default ${DEFAULT-VALUE}.")
    Pooling2d.Mode pooling;

    @Option(names = "--timesteps", defaultValue = "4", description = "T of the spiking network; default ${DEFAULT-VALUE}.")
    int timeSteps;

    @Option(names = "--batch", defaultValue = "32", description = "Images per step; default ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--steps", defaultValue = "30", description = "Measured steps; default ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--warmup", defaultValue = "20", description = "Unmeasured steps first, while the JIT compiles the Java kernels;"
            + " default ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--image-size", defaultValue = "32", description = "Image height and width; default ${DEFAULT-VALUE}.")
    int imageSize;

    @Option(names = "--classes", defaultValue = "10", description = "Classes; default ${DEFAULT-VALUE}.")
    int classes;

    @Option(names = "--block", defaultValue = "spiking-basic", converter = BlockConverter.class,
            description = "Spiking ResNet block: spiking-basic or sew-add (as student.model.block);"
                    + " default ${DEFAULT-VALUE}.")
    BlockType block;

    @Option(names = "--batch-norm", defaultValue = "bn", converter = BatchNormConverter.class,
            description = "Spiking BN: bn or tdbn (as student.model.batch_norm; both share statistics over T*B,"
                    + " tdbn starts the weight at the neurons' threshold); default ${DEFAULT-VALUE}.")
    BatchNormMode batchNorm;

    @Option(names = "--neuron", defaultValue = "lif", description = "Neuron model id; default ${DEFAULT-VALUE}.")
    String neuronId;

    @Option(names = "--neuron-param", paramLabel = "KEY=VALUE",
            description = "Neuron parameter; default tau=2.0 (SpikingJelly's LIFNode with hard reset).")
    Map<String, String> neuronParams = new LinkedHashMap<>(Map.of("tau", "2.0"));

    @Option(names = "--surrogate", defaultValue = "rectangular", description = "Surrogate id; default ${DEFAULT-VALUE}.")
    String surrogateId;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the weights and the random data.")
    long seed;

    @Option(names = "--sweep-timesteps", split = ",", paramLabel = "T",
            description = "A spiking model's T at each point of a sweep, e.g. 1,2,4,8 (instead of --timesteps).")
    int[] sweepTimeSteps;

    @Option(names = "--sweep-batch", split = ",", paramLabel = "B",
            description = "The batch at each point of a sweep, e.g. 8,16,32 (instead of --batch). With"
                    + " --sweep-timesteps, every pair is a point. A sweep times each point in this process after"
                    + " its own warm-up and prints one table: median and min step, images/s, forward MACs per step,"
                    + " peak resident memory of the point, estimated memory.")
    int[] sweepBatches;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "With a sweep: also write its table to FILE (CSV, a new file).")
    Path csv;

    @Option(names = "--plot", paramLabel = "FILE",
            description = "With a sweep: also draw the median step over T (a line per batch), or over the batch"
                    + " when T is not swept, to FILE (PNG, a new file).")
    Path plot;

    /** True to time training steps, false for inference passes. */
    abstract boolean training();

    /** Whether a spiking model's inference runs all T steps at once rather than stepping through time. */
    boolean allSteps() {
        return false;
    }

    /** The most rows a stepping pass takes at once; null for the whole batch. */
    Integer rowsPerPart() {
        return null;
    }

    /** The rows of one part of a stepping pass over {@code batch} rows. */
    private int partRows(int batch) {
        Integer most = rowsPerPart();
        if (most == null || most >= batch) {
            return batch;
        }
        int parts = (batch + most - 1) / most;
        return (batch + parts - 1) / parts;
    }

    /** Whether the passes step through time ({@link StepwiseInference}): inference of a spiking model. */
    private boolean stepwise() {
        return !training() && arch.spiking && !allSteps();
    }

    private SpikeforgeCli root() {
        return (SpikeforgeCli) spec.root().userObject();
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        requireRanges();
        boolean sweep = sweepTimeSteps != null || sweepBatches != null;
        requireSweepOptions(sweep);
        try (PluginHost host = PluginHostSupport.start(root(), spec.commandLine().getErr())) {
            if (sweep) {
                sweep(host, out);
                return ExitCodes.OK;
            }
            ModelBuilder builder = modelSettings(host, timeSteps);
            MemoryEstimate estimate = requireMemory(host, builder, batch, "");
            NativeBackend.name(); // loads ND4J's native libraries, which are not the model's
            long residentBefore = ProcessMemory.residentBytes().orElse(0);
            Model model = build(builder);
            StepBenchmark.Result result = measure(model, batch, "");
            report(out, model, result, estimate, residentBefore);
        }
        return ExitCodes.OK;
    }

    /**
     * Times every point of the sweep, smallest T first and within it smallest batch first: all are
     * checked against the memory budget before the first is built; each gets a model of its own, its
     * own warm-up and its own peak (the peak is reset before the point where Linux allows it).
     */
    private void sweep(PluginHost host, PrintWriter out) throws IOException {
        int[] steps = sweepTimeSteps != null ? sorted(sweepTimeSteps) : new int[] {arch.spiking ? timeSteps : 1};
        int[] batches = sweepBatches != null ? sorted(sweepBatches) : new int[] {batch};
        List<BenchSweep.Point> points = new ArrayList<>();
        List<ModelBuilder> builders = new ArrayList<>();
        List<MemoryEstimate> estimates = new ArrayList<>();
        for (int t : steps) {
            for (int b : batches) {
                ModelBuilder builder = modelSettings(host, t);
                points.add(new BenchSweep.Point(t, b));
                builders.add(builder);
                estimates.add(requireMemory(host, builder, b, (arch.spiking ? " (T=" + t + ", batch " : " (batch ")
                        + b + ")"));
            }
        }
        NativeBackend.name();
        BenchSweep table = new BenchSweep(arch.spiking);
        String architecture = null;
        boolean peaksReset = true;
        for (int i = 0; i < points.size(); i++) {
            BenchSweep.Point point = points.get(i);
            // the last point's model and data become garbage; collecting them frees their native buffers
            // before this point's peak starts
            System.gc();
            peaksReset &= ProcessMemory.resetPeak();
            long residentBefore = ProcessMemory.residentBytes().orElse(0);
            Model model = build(builders.get(i));
            if (i == 0) {
                architecture = model.architecture();
                printSetup(out, model, true);
                out.printf(Locale.ROOT, "  %d warm-up %s and %d measured at each point%n", warmup,
                        training() ? "steps" : "passes", this.steps);
                out.flush();
            }
            double forwardMacsPerImage = forwardMacsPerImage(model);
            StepBenchmark.Result result = measure(model, point.batch(), (arch.spiking ? "T=" + point.timeSteps()
                    + " " : "") + "batch " + point.batch() + " ");
            table.add(point, result, forwardMacsPerImage * point.batch(), residentBefore,
                    estimates.get(i).totalBytes());
        }
        table.print(out);
        out.printf(Locale.ROOT, "peak MB: %s; model MB: the peak less the resident memory before the point's"
                        + " model was built; fwd GMAC: multiply-accumulates of the forward pass of a step%s%n",
                peaksReset ? "the process's peak resident memory during the point (reset before it)"
                        : "the process's peak since its start (this system cannot reset it)",
                training() ? " (the backward does about twice as many)" : "");
        out.flush();
        if (csv != null) {
            AtomicFiles.write(csv, table.csv().getBytes(StandardCharsets.UTF_8));
            out.println("wrote " + csv);
        }
        if (plot != null) {
            AtomicFiles.write(plot, table.png("bench " + (training() ? "train" : "infer") + ": " + architecture
                    + ", " + imageSize + "x" + imageSize + " images", sweepTimeSteps != null));
            out.println("wrote " + plot);
        }
    }

    private static int[] sorted(int[] values) {
        return Arrays.stream(values).sorted().toArray();
    }

    /** MACs of one image's forward pass (the model's own count), NaN for a model that cannot count them. */
    private double forwardMacsPerImage(Model model) {
        try {
            return ModelSummary.of(model, imageSize, imageSize).totalMultiplyAccumulates();
        } catch (IllegalArgumentException e) {
            return Double.NaN;
        }
    }

    /**
     * The sweep options: values at least 1 and none twice; T only for a spiking model; each replaces
     * its single-point option; {@code --csv} and {@code --plot} only with a sweep, and never over an
     * existing file.
     */
    private void requireSweepOptions(boolean sweep) {
        requireSweepValues("--sweep-timesteps", sweepTimeSteps, "--timesteps");
        requireSweepValues("--sweep-batch", sweepBatches, "--batch");
        if (sweepTimeSteps != null && !arch.spiking) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--sweep-timesteps is for a spiking model;"
                    + " " + arch + " has no time-steps");
        }
        requireNewSweepFile("--csv", csv, sweep);
        requireNewSweepFile("--plot", plot, sweep);
        if (csv != null && plot != null && csv.toAbsolutePath().normalize().equals(plot.toAbsolutePath().normalize())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--csv and --plot name the same file " + csv);
        }
    }

    /** A file a sweep writes: only with a sweep, a new file, in a folder that exists. */
    private void requireNewSweepFile(String option, Path file, boolean sweep) {
        if (file == null) {
            return;
        }
        if (!sweep) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " is for a sweep; give"
                    + " --sweep-timesteps or --sweep-batch");
        }
        if (Files.exists(file)) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " " + file + ": the file exists;"
                    + " give a new file");
        }
        Path folder = file.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " " + file + ": no folder " + folder);
        }
    }

    private void requireSweepValues(String option, int[] values, String replaced) {
        if (values == null) {
            return;
        }
        if (spec.commandLine().getParseResult().hasMatchedOption(replaced)) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " replaces " + replaced
                    + "; give one of them");
        }
        Set<Integer> seen = new HashSet<>();
        for (int value : values) {
            atLeast(option, value, 1);
            if (!seen.add(value)) {
                throw new CommandLine.ParameterException(spec.commandLine(), option + " names " + value + " twice");
            }
        }
    }

    /** Options out of range are a usage error (exit 2) naming the option, before anything is built. */
    private void requireRanges() {
        atLeast("--batch", batch, 1);
        atLeast("--steps", steps, 1);
        atMost("--steps", steps, MAX_STEPS);
        atLeast("--warmup", warmup, 0);
        atMost("--warmup", warmup, MAX_STEPS);
        atLeast("--image-size", imageSize, 1);
        atLeast("--classes", classes, 1);
        atLeast("--timesteps", timeSteps, 1);
        if (allSteps() && !arch.spiking) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--all-steps is for a spiking model; " + arch
                    + " has no time-steps");
        }
        if (rowsPerPart() != null) {
            atLeast("--rows-per-part", rowsPerPart(), 1);
            if (!stepwise()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--rows-per-part is for a spiking model"
                        + " stepping through time; " + (arch.spiking ? "--all-steps runs all T*B rows at once"
                        : arch + " has no time-steps"));
            }
        }
        if (arch.vgg()) {
            for (String resnetOnly : List.of("--blocks-per-stage", "--block")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(resnetOnly)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), resnetOnly + " is for a ResNet;"
                            + " a VGG's convolutions are set by --depth or --widths");
                }
            }
        } else if (spec.commandLine().getParseResult().hasMatchedOption("--pooling")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--pooling is for a VGG; a ResNet pools"
                    + " only before its classifier");
        }
        if (widths != null) {
            for (int width : widths) {
                atLeast("--widths", width, 1);
            }
        }
        if (blocksPerStage != null) {
            for (int blocks : blocksPerStage) {
                atLeast("--blocks-per-stage", blocks, 1);
            }
        }
    }

    private void atMost(String option, int value, int max) {
        if (value > max) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be at most " + max + ", got "
                    + value);
        }
    }

    private void atLeast(String option, int value, int min) {
        if (value < min) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be at least " + min + ", got "
                    + value);
        }
    }

    /**
     * The model's memory at this batch size, with the images, checked against what the process may
     * still take: a model or batch too large for the machine is a usage error (exit 2) naming the
     * options, not a crash in native code. {@code point} names a sweep's point in that message (empty
     * for a single one).
     */
    private MemoryEstimate requireMemory(PluginHost host, ModelBuilder builder, int batch, String point) {
        MemoryEstimate model;
        try {
            // stepping through time holds the tensors of one step of one part: those of the model at T=1
            ModelBuilder estimated = stepwise() ? modelSettings(host, 1) : builder;
            model = estimated.estimateMemory(imageSize, training() ? List.of(batch) : List.of(),
                    training() ? List.of() : List.of(stepwise() ? partRows(batch) : batch));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        double imageBytes = (double) batch * INPUT_CHANNELS * imageSize * imageSize * Float.BYTES;
        MemoryEstimate estimate = model.plus(new MemoryEstimate(0, 0, 0, 0, 0, imageBytes));
        MemoryBudget budget = MemoryBudget.current();
        if (!budget.fits(estimate)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "this model and batch" + point + " need about "
                    + estimate + ", more than this process may still take: " + budget + ". Use smaller --widths,"
                    + (arch.vgg() ? "" : " --blocks-per-stage,") + " --batch, --image-size" + (arch.spiking
                    ? " or --timesteps" : "") + ", or raise -Dorg.bytedeco.javacpp.maxphysicalbytes in SPIKEFORGE_JAVA_OPTS on a machine"
                    + " with more memory");
        }
        return estimate;
    }

    /** Times {@code model} on random images of {@code batch}; {@code label} starts the progress bar's name. */
    private StepBenchmark.Result measure(Model model, int batch, String label) {
        Random random = new Random(seed);
        INDArray images = Nd4j.rand(DataType.FLOAT, batch, INPUT_CHANNELS, imageSize, imageSize);
        int[] labels = random.ints(batch, 0, classes).toArray();
        StepBenchmark benchmark = new StepBenchmark(warmup, steps, batch);
        StepwiseInference stepwise = stepwise() ? stepwiseInference(model) : null;
        // stepping through time, the progress bar counts time-steps: a pass of a deep model at a large T is long
        long perPass = stepwise != null ? stepwise.stepsPerPass(batch) : 1;
        AtomicInteger passesDone = new AtomicInteger();
        AtomicReference<ProgressBar> progress = new AtomicReference<>();
        Runnable step;
        if (training()) {
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(DataType.FLOAT);
            Sgd sgd = new Sgd(0.9, 1e-4, false);
            List<Parameter> parameters = new ArrayList<>(model.parameters().values());
            model.skipInputGradient();
            step = () -> {
                model.zeroGradients();
                loss.forward(model.forward(images, true), labels);
                model.backward(loss.backward());
                sgd.step(parameters, 0.01);
            };
        } else if (stepwise != null) {
            step = () -> stepwise.forward(images, false,
                    t -> progress.get().stepTo((long) passesDone.get() * perPass + t));
        } else {
            step = () -> model.forward(images, false);
        }
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName(label + (training() ? "train steps"
                        : stepwise != null ? "infer time-steps" : "infer passes"))
                .setInitialMax((long) (warmup + steps) * perPass).setStyle(ProgressBarStyle.ASCII).setConsumer(
                        new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                .showSpeed().build()) {
            progress.set(bar);
            return benchmark.run(i -> step.run(), done -> {
                passesDone.set(done);
                bar.stepTo((long) done * perPass);
            });
        }
    }

    /** The model's stepwise inference; a model that cannot step is a usage error pointing to {@code --all-steps}. */
    private StepwiseInference stepwiseInference(Model model) {
        Optional<String> unsupported = StepwiseInference.unsupported(model);
        if (unsupported.isPresent()) {
            throw new CommandLine.ParameterException(spec.commandLine(), unsupported.get() + "; give --all-steps to"
                    + " run all T steps at once");
        }
        return rowsPerPart() == null ? StepwiseInference.of(model) : StepwiseInference.of(model, rowsPerPart());
    }

    private ModelBuilder modelSettings(PluginHost host, int timeSteps) {
        int modelDepth = depth != null ? depth : arch.defaultDepth;
        NeuronFactory neurons = arch.spiking ? neurons(host) : null;
        if (arch.vgg()) {
            Vgg.Builder builder = Vgg.builder().optDepth(modelDepth).optClasses(classes).optPooling(pooling)
                    .optSeed(seed);
            if (widths != null) {
                builder.optWidths(widths);
            }
            if (neurons != null) {
                builder.optSpiking(neurons, timeSteps).optBatchNorm(batchNorm);
            }
            return builder;
        }
        ResNet.Builder builder = ResNet.builder().optDepth(modelDepth).optClasses(classes).optSeed(seed);
        if (widths != null) {
            builder.optWidths(widths);
        }
        if (blocksPerStage != null) {
            builder.optBlocksPerStage(blocksPerStage);
        }
        if (neurons != null) {
            builder.optSpiking(neurons, timeSteps).optBlockType(block).optBatchNorm(batchNorm);
        }
        return builder;
    }

    /** The neurons of {@code --neuron} with {@code --neuron-param}, and the surrogate of {@code --surrogate}. */
    private NeuronFactory neurons(PluginHost host) {
        NeuronModelProvider neuron = (NeuronModelProvider) component(host, ComponentKind.NEURON_MODEL, neuronId);
        SurrogateFunctionProvider surrogateProvider =
                (SurrogateFunctionProvider) component(host, ComponentKind.SURROGATE_FUNCTION, surrogateId);
        SurrogateFunction surrogate = surrogateProvider.create(surrogateProvider.parameters().defaults());
        ResolvedParameters neuronParameters = resolve(neuron, neuronParams);
        return (layer, dataType) -> neuron.create(neuronParameters, surrogate, dataType);
    }

    private Model build(ModelBuilder builder) {
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private RegisteredComponent registered(PluginHost host, ComponentKind kind, String id) {
        return host.registry().find(kind, id).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                "unknown " + kind.displayName() + " '" + id + "'; available: " + String.join(", ",
                        host.registry().ids(kind))));
    }

    private io.spikeforge.api.component.ComponentProvider component(PluginHost host, ComponentKind kind, String id) {
        return registered(host, kind, id).provider();
    }

    private ResolvedParameters resolve(NeuronModelProvider neuron, Map<String, String> raw) {
        Map<String, Object> values = new LinkedHashMap<>();
        Yaml yaml = new Yaml();
        raw.forEach((k, v) -> values.put(k, yaml.load(v)));
        try {
            ResolvedParameters resolved = neuron.parameters().resolve(values);
            neuron.validate(resolved);
            return resolved;
        } catch (InvalidParametersException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--neuron-param: " + e.getMessage(), e);
        }
    }

    private void report(PrintWriter out, Model model, StepBenchmark.Result r, MemoryEstimate estimate,
                        long residentBefore) {
        printSetup(out, model, false);
        out.printf(Locale.ROOT, "  %d warm-up %s, %d measured%n", warmup, training() ? "steps" : "passes", r.steps());
        out.printf(Locale.ROOT, "median step     %10.1f ms%n", r.medianMillis());
        out.printf(Locale.ROOT, "min step        %10.1f ms%n", r.minMillis());
        out.printf(Locale.ROOT, "throughput      %10.1f images/s%n", r.imagesPerSecond());
        out.printf(Locale.ROOT, "convolution     %10.1f %% of step time%n", 100 * r.convolutionShare());
        out.printf(Locale.ROOT, "batch norm      %10.1f %% of step time%n", 100 * r.share(KernelTimer.Kind.BATCH_NORM));
        if (model.spiking()) {
            out.printf(Locale.ROOT, "neurons         %10.1f %% of step time%n", 100 * r.share(KernelTimer.Kind.NEURONS));
        }
        out.printf(Locale.ROOT, "peak memory     %10d MB resident (heap and native)%n",
                r.peakResidentBytes() / (1024 * 1024));
        out.printf(Locale.ROOT, "model and batch %10d MB resident (peak less the %d MB before the model was"
                        + " built); estimated %d MB: %s%n", (r.peakResidentBytes() - residentBefore) / (1024 * 1024),
                residentBefore / (1024 * 1024), Math.round(estimate.totalBytes() / (1024 * 1024)), estimate);
        out.println(r.summaryLine());
        out.flush();
    }

    /** How a stepping pass splits the batch, for the setup lines: nothing when it steps the batch whole. */
    private String parts(boolean sweep) {
        Integer most = rowsPerPart();
        if (most == null || (!sweep && most >= batch)) {
            return "";
        }
        return sweep ? "; batches of more than " + most + " rows in parts of at most " + most
                : "; in parts of " + partRows(batch) + (partRows(batch) == 1 ? " row" : " rows") + " (--rows-per-part "
                + most + ")";
    }

    /** The lines that say what is timed: the model, its neurons for a spiking one, the backend. */
    private void printSetup(PrintWriter out, Model model, boolean sweep) {
        out.printf(Locale.ROOT, "bench %s%s: %s, %d parameters, %s%dx%d images, %d classes%n",
                training() ? "train" : "infer", sweep ? " sweep" : "", model.architecture(), model.parameterCount(),
                sweep ? "" : "batch " + batch + ", ", imageSize, imageSize, classes);
        if (model.spiking()) {
            out.printf(Locale.ROOT, "  %sneuron %s %s, surrogate %s, %s, batch norm %s%n",
                    sweep ? "" : "T=" + timeSteps + ", ", neuronId, neuronParams, surrogateId,
                    arch.vgg() ? word(pooling) + " pooling" : "block " + block.yamlName(), batchNorm.yamlName());
        } else if (arch.vgg()) {
            out.printf(Locale.ROOT, "  %s pooling%n", word(pooling));
        }
        if (model.spiking() && !training()) {
            out.println(stepwise() ? "  stepping through time: one time-step at a time on [B, ...], the encoding stem"
                    + " once, the time mean as a running sum (--all-steps: all T*B rows at once)" + parts(sweep)
                    : "  all T steps at once on [T*B, ...] (--all-steps)");
        }
        out.printf(Locale.ROOT, "  backend %s (%s), %d threads%n", NativeBackend.name(),
                NativeBackend.libraryPath().contains("onednn") ? "oneDNN" : "no oneDNN",
                Runtime.getRuntime().availableProcessors());
    }

    /**
     * The word of an option's value: its YAML word where it has one, else its name in lower case
     * with hyphens ({@code AVERAGE} is {@code average}).
     */
    static String word(Enum<?> value) {
        return value instanceof YamlChoice choice ? choice.yamlName()
                : value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The constant an option names by its word ({@code sew-add}); the constant's name
     * ({@code SEW_ADD}), which earlier versions took, is accepted too.
     */
    static <E extends Enum<E>> E choice(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (word(constant).equals(value) || constant.name().equals(value)) {
                return constant;
            }
        }
        throw new CommandLine.TypeConversionException("'" + value + "' is not one of " + Arrays.stream(
                type.getEnumConstants()).map(BenchRun::word).collect(Collectors.joining(", ")));
    }

    /** {@code --arch}: resnet, spiking-resnet, vgg, spiking-vgg. */
    static final class ArchConverter implements CommandLine.ITypeConverter<Arch> {
        @Override
        public Arch convert(String value) {
            return choice(Arch.class, value);
        }
    }

    /** {@code --block}: spiking-basic, sew-add. */
    static final class BlockConverter implements CommandLine.ITypeConverter<BlockType> {
        @Override
        public BlockType convert(String value) {
            return choice(BlockType.class, value);
        }
    }

    /** {@code --batch-norm}: bn, tdbn. */
    static final class BatchNormConverter implements CommandLine.ITypeConverter<BatchNormMode> {
        @Override
        public BatchNormMode convert(String value) {
            return choice(BatchNormMode.class, value);
        }
    }

    /** {@code --pooling}: max, average. */
    static final class PoolingConverter implements CommandLine.ITypeConverter<Pooling2d.Mode> {
        @Override
        public Pooling2d.Mode convert(String value) {
            return choice(Pooling2d.Mode.class, value);
        }
    }
}
