package io.spikeforge.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.engine.io.Safetensors;
import io.spikeforge.engine.io.SafetensorsDtype;
import io.spikeforge.engine.io.SafetensorsFile;
import io.spikeforge.engine.io.WeightImport;
import io.spikeforge.api.model.Parameter;
import io.spikeforge.engine.layer.SoftmaxCrossEntropy;
import io.spikeforge.testkit.neuron.LifTestNeuron;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The engine against real PyTorch: golden files written by
 * {@code tools/pytorch-reference/make_golden.py} (see its README) hold, for a tiny ANN ResNet, a
 * tiny IDSNN spiking ResNet and a tiny SEW ResNet with SpikingJelly's LIF settings, the state dict
 * under PyTorch's names (with {@code num_batches_tracked}), an input batch, labels, and what
 * PyTorch computed in float64 (rounded to float32): eval-mode logits, train-mode logits, the
 * cross-entropy loss, dL/dinput and dL/dparameter for every parameter, the BN running statistics
 * after the train-mode forward, and the firing rate of every spiking layer in both modes.
 *
 * <p>Each case builds the same model with {@link ResNet#builder()}, imports the state dict with
 * {@link WeightImport} and compares, in float (the training type) and in double. Tolerances,
 * {@code |actual - expected| <= ABS + REL * |expected|}: float {@code 1e-4} relative and
 * {@code 1e-5} absolute (PyTorch's own float32 run stays within 0.5% of that budget, see the
 * files' {@code conditioning} metadata); double {@code 1e-6} relative and {@code 1e-9} absolute,
 * bounded by the float32 storage of the expected values (relative rounding 6e-8). The firing rates
 * must agree to 1e-6, i.e. every spike count must be the same: the generator only accepts seeds
 * where no membrane potential lies within 1e-4 of the threshold or of the surrogate's box edges,
 * so spikes cannot flip between float implementations.
 *
 * <p>No Python is needed to run this test; only to regenerate the files.
 */
class PyTorchGoldenTest {
    private static final String RESOURCE_FOLDER = "/golden/pytorch/";
    private static final String GOLDEN = "golden.";
    private static final double FIRING_RATE_TOLERANCE = 1e-6;

    /** A golden case: the file and the Spikeforge model that make_golden.py mirrors. */
    enum Case {
        RESNET_ANN("resnet_ann") {
            @Override
            ResNet.Builder model() {
                return tiny();
            }
        },
        SPIKING_RESNET_IDSNN("spiking_resnet_idsnn") {
            @Override
            ResNet.Builder model() {
                // the test kit LIF's defaults (the lif plugin's): decay 0.25, threshold 0.5, hard reset to 0,
                // detached reset, fire above, box surrogate of width 1
                return tiny().optSpiking(lif(LifTestNeuron.builder()), 3).optBlockType(BlockType.SPIKING_BASIC)
                        .optBatchNorm(BatchNormMode.TDBN);
            }
        },
        SEW_RESNET_SPIKINGJELLY("sew_resnet_spikingjelly") {
            @Override
            ResNet.Builder model() {
                // SpikingJelly's LIFNode defaults
                return tiny().optSpiking(lif(LifTestNeuron.builder().optTau(2.0).optDecayInput(true).optThreshold(1.0)
                        .optDetachReset(false).optFireAtThreshold(true)), 2).optBlockType(BlockType.SEW_ADD)
                        .optBatchNorm(BatchNormMode.BN);
            }
        };

        final String file;

        Case(String file) {
            this.file = file;
        }

        abstract ResNet.Builder model();

        /** Widths 4/8/8, one block per stage, 10 classes, 3 input channels, the seed irrelevant (weights are imported). */
        static ResNet.Builder tiny() {
            return ResNet.builder().optDepth(20).optWidths(4, 8, 8).optBlocksPerStage(1).optClasses(10)
                    .optSeed(1234);
        }

        static NeuronFactory lif(LifTestNeuron.Builder neuron) {
            return (name, type) -> neuron.build();
        }
    }

    static Stream<Arguments> cases() {
        return Arrays.stream(Case.values())
                .flatMap(c -> Stream.of(Arguments.of(c, DataType.FLOAT), Arguments.of(c, DataType.DOUBLE)));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("cases")
    void engineMatchesPyTorch(Case golden, DataType dataType) throws IOException, URISyntaxException {
        Path path = resource(golden.file + ".safetensors");
        SafetensorsFile file = Safetensors.read(path);
        assertNotNull(file.metadata().get("torch_version"), "the golden file records the torch version");
        Tolerance tolerance = dataType == DataType.FLOAT ? new Tolerance(1e-4, 1e-5) : new Tolerance(1e-6, 1e-9);

        ResNet model = golden.model().optDataType(dataType).build();

        // the state dict: everything but golden.*, imported as a user would import PyTorch weights
        Map<String, INDArray> stateTensors = new LinkedHashMap<>();
        Map<String, SafetensorsDtype> stateDtypes = new LinkedHashMap<>();
        file.tensors().forEach((name, value) -> {
            if (!name.startsWith(GOLDEN)) {
                stateTensors.put(name, value);
                stateDtypes.put(name, file.dtypes().get(name));
            }
        });
        Map<String, INDArray> target = new LinkedHashMap<>();
        model.stateDict().names().forEach(name -> target.put(name, model.stateDict().get(name)));
        WeightImport.Report report = WeightImport.importInto(path,
                new SafetensorsFile(stateTensors, stateDtypes, file.metadata()), target,
                java.util.Optional.of(model.architecture()));
        assertEquals(List.copyOf(model.stateDict().names()), report.assigned());
        List<String> counters = stateTensors.keySet().stream().filter(n -> n.endsWith("num_batches_tracked")).toList();
        assertFalse(counters.isEmpty());
        assertEquals(new TreeSet<>(counters), new TreeSet<>(report.ignored()));
        counters.forEach(n -> assertEquals(SafetensorsDtype.I64, stateDtypes.get(n), n));

        INDArray images = golden(file, "input").castTo(dataType);
        int[] labels = Arrays.stream(golden(file, "labels").toLongVector()).mapToInt(Math::toIntExact).toArray();
        Comparison comparison = new Comparison(golden, dataType, tolerance);

        comparison.check("eval.logits", model.forward(images, false), golden(file, "eval.logits"));
        comparison.checkFiringRates("eval", model, file);

        model.zeroGradients();
        INDArray trainLogits = model.forward(images, true);
        comparison.check("train.logits", trainLogits, golden(file, "train.logits"));
        comparison.checkFiringRates("train", model, file);
        for (String name : model.stateDict().names()) {
            if (name.endsWith("running_mean") || name.endsWith("running_var")) {
                comparison.check("train.after." + name, model.stateDict().get(name),
                        golden(file, "train.after." + name));
            }
        }
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(dataType);
        double lossValue = loss.forward(trainLogits, labels);
        comparison.checkScalar("train.loss", lossValue, golden(file, "train.loss").getDouble(0));
        INDArray gradImages = model.backward(loss.backward());
        comparison.check("train.grad.input", gradImages, golden(file, "train.grad.input"));
        List<String> expectedGradients = file.tensors().keySet().stream()
                .filter(n -> n.startsWith(GOLDEN + "train.grad.") && !n.equals(GOLDEN + "train.grad.input"))
                .map(n -> n.substring((GOLDEN + "train.grad.").length())).sorted().toList();
        assertEquals(new TreeSet<>(model.parameters().keySet()).stream().toList(), expectedGradients,
                "the file has the gradient of every parameter");
        for (Map.Entry<String, Parameter> entry : model.parameters().entrySet()) {
            comparison.check("train.grad." + entry.getKey(), entry.getValue().gradient(),
                    golden(file, "train.grad." + entry.getKey()));
        }

        System.out.println(comparison.summary());
        assertTrue(comparison.failures.isEmpty(), comparison::failureReport);
    }

    private static INDArray golden(SafetensorsFile file, String name) {
        INDArray value = file.tensors().get(GOLDEN + name);
        assertNotNull(value, () -> "the golden file has no " + GOLDEN + name);
        return value;
    }

    private static Path resource(String name) throws URISyntaxException {
        URL url = PyTorchGoldenTest.class.getResource(RESOURCE_FOLDER + name);
        assertNotNull(url, () -> "missing test resource " + RESOURCE_FOLDER + name
                + "; regenerate with python3 tools/pytorch-reference/make_golden.py");
        return Path.of(url.toURI());
    }

    /** {@code |actual - expected| <= absolute + relative * |expected|}. */
    record Tolerance(double relative, double absolute) {
        double violation(double actual, double expected) {
            return Math.abs(actual - expected) / (absolute + relative * Math.abs(expected));
        }
    }

    /** Collects every comparison, so that a failure names every tensor that differs and where. */
    private static final class Comparison {
        private final Case golden;
        private final DataType dataType;
        private final Tolerance tolerance;
        private final List<String> failures = new ArrayList<>();
        private String worstName = "";
        private double worstViolation;
        private int compared;

        Comparison(Case golden, DataType dataType, Tolerance tolerance) {
            this.golden = golden;
            this.dataType = dataType;
            this.tolerance = tolerance;
        }

        void check(String name, INDArray actual, INDArray expected) {
            compared++;
            if (!Arrays.equals(actual.shape(), expected.shape())) {
                failures.add(name + ": shape " + Arrays.toString(actual.shape()) + ", PyTorch "
                        + Arrays.toString(expected.shape()));
                return;
            }
            double[] a = ModelTesting.values(actual);
            double[] e = ModelTesting.values(expected);
            int worst = 0;
            double worstHere = -1;
            int outside = 0;
            for (int i = 0; i < a.length; i++) {
                double v = Double.isNaN(a[i]) ? Double.POSITIVE_INFINITY : tolerance.violation(a[i], e[i]);
                if (v > 1) {
                    outside++;
                }
                if (v > worstHere) {
                    worstHere = v;
                    worst = i;
                }
            }
            record(name, worstHere);
            if (outside > 0) {
                failures.add(String.format(Locale.ROOT,
                        "%s: %d of %d values outside tolerance; worst at flat index %d (shape %s): engine %.9g,"
                                + " PyTorch %.9g, %.3g times the tolerance", name, outside, a.length, worst,
                        Arrays.toString(expected.shape()), a[worst], e[worst], worstHere));
            }
        }

        void checkScalar(String name, double actual, double expected) {
            compared++;
            double v = tolerance.violation(actual, expected);
            record(name, v);
            if (!(v <= 1)) {
                failures.add(String.format(Locale.ROOT, "%s: engine %.9g, PyTorch %.9g", name, actual, expected));
            }
        }

        void checkFiringRates(String mode, ResNet model, SafetensorsFile file) {
            String prefix = GOLDEN + mode + ".firing_rate.";
            List<String> expectedLayers = file.tensors().keySet().stream().filter(n -> n.startsWith(prefix))
                    .map(n -> n.substring(prefix.length())).sorted().toList();
            assertEquals(new TreeSet<>(model.firingRates().keySet()).stream().toList(), expectedLayers,
                    "spiking layers");
            model.firingRates().forEach((layer, rate) -> {
                compared++;
                double expected = file.tensors().get(prefix + layer).getDouble(0);
                if (!(Math.abs(rate - expected) <= FIRING_RATE_TOLERANCE)) {
                    failures.add(String.format(Locale.ROOT, "%s.firing_rate.%s: engine %.7f, PyTorch %.7f (spikes"
                            + " differ)", mode, layer, rate, expected));
                }
            });
        }

        private void record(String name, double violation) {
            if (violation > worstViolation) {
                worstViolation = violation;
                worstName = name;
            }
        }

        String summary() {
            return String.format(Locale.ROOT, "PyTorch golden %s in %s: %d tensors compared, worst %s at %.3g of"
                    + " the tolerance %s", golden, dataType, compared, worstName, worstViolation, tolerance);
        }

        String failureReport() {
            return golden + " in " + dataType + " differs from PyTorch:\n  " + String.join("\n  ", failures);
        }
    }
}
