package io.spikeforge.plugins.lif;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spikeforge.api.model.Parameter;
import io.spikeforge.api.neuron.BaseNeuron;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.NeuronModelProvider;
import io.spikeforge.api.neuron.SurrogateFunction;
import io.spikeforge.testkit.neuron.SmoothTestSurrogate;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code plif}, {@code lif-trainable-threshold} and {@code alif} against SpikingJelly's published
 * update rules ({@code spikingjelly.activation_based.neuron}: {@code ParametricLIFNode.neuronal_charge},
 * {@code LIFNode.neuronal_charge}, {@code BaseNode.neuronal_fire} and {@code neuronal_reset}) and, for
 * {@code alif}'s threshold, Bellec et al. 2018's ({@code A = b0 + beta a}, {@code a <- rho a + (1 - rho) z}),
 * reproduced below as a plain double loop per neuron. The spikes must equal the loop's; the
 * gradients of the smooth-spike neuron (input, w, threshold) must equal central finite differences
 * of the loop with the same smooth spike, which is what autograd computes in SpikingJelly with a
 * surrogate whose primitive is that spike and {@code detach_reset=False}.
 */
class SpikingJellyRulesTest {
    private static final int T = 5;
    private static final int NEURONS = 7;
    private static final double STEP = 1e-6;

    /**
     * SpikingJelly's rule for one neuron. {@code k} is {@code 1/tau} (PLIF: {@code sigmoid(w)}),
     * {@code vReset} null for soft reset; {@code spike} the Heaviside (at 0: 1) or a smooth stand-in.
     */
    static double[] rule(double[] x, double k, boolean decayInput, double threshold, Double vReset, double beta,
                         double rho, DoubleUnaryOperator spike) {
        double[] spikes = new double[x.length];
        double v = vReset == null ? 0 : vReset;
        double a = 0;
        for (int t = 0; t < x.length; t++) {
            // neuronal_charge
            if (decayInput) {
                v = vReset == null || vReset == 0 ? v + (x[t] - v) * k : v + (x[t] - (v - vReset)) * k;
            } else {
                v = vReset == null || vReset == 0 ? v * (1 - k) + x[t] : v - (v - vReset) * k + x[t];
            }
            // neuronal_fire, with Bellec et al.'s adaptive threshold (beta 0: SpikingJelly's fixed one)
            double theta = threshold + beta * a;
            double s = spike.applyAsDouble(v - theta);
            spikes[t] = s;
            // neuronal_reset
            v = vReset == null ? v - s * theta : (1 - s) * v + s * vReset;
            a = rho * a + (1 - rho) * s;
        }
        return spikes;
    }

    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of("plif", Map.of()),
                Arguments.of("plif", Map.of("init_tau", 3.0, "decay_input", false)),
                Arguments.of("plif", Map.of("init_tau", 1.5, "v_reset", -0.25, "threshold", 0.7)),
                Arguments.of("plif", Map.of("init_tau", 4.0, "reset", "soft", "threshold", 0.5)),
                Arguments.of("lif-trainable-threshold", Map.of()),
                Arguments.of("lif-trainable-threshold", Map.of("tau", 3.0, "decay_input", false, "v_reset", 0.2)),
                Arguments.of("lif-trainable-threshold", Map.of("tau", 2.5, "reset", "soft", "threshold", 0.6)),
                Arguments.of("alif", Map.of()),
                Arguments.of("alif", Map.of("adaptation", 0.9, "tau_adaptation", 1.5, "threshold", 0.6)),
                Arguments.of("alif", Map.of("reset", "soft", "adaptation", 0.5, "tau_adaptation", 3.0, "tau", 4.0)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configurations")
    void spikesFollowTheRule(String id, Map<String, Object> yaml) {
        double[][] x = currents(new Random(11));
        Rule rule = Rule.of(provider(id), yaml);
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            NeuronModel neuron = Neurons.create(provider(id), yaml, new SmoothTestSurrogate(), DataType.FLOAT);
            double[][] input = type == DataType.FLOAT ? roundedToFloat(x) : x;
            double[] spikes = Neurons.asVector(neuron.forward(timeMajor(input, type), T, false));
            for (int n = 0; n < NEURONS; n++) {
                double[] expected = rule.spikes(input[n], heaviside());
                for (int t = 0; t < T; t++) {
                    assertEquals(expected[t], spikes[t * NEURONS + n], id + " " + yaml + " " + type + ": neuron " + n
                            + " step " + t);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configurations")
    void gradientsAreTheRulesDerivatives(String id, Map<String, Object> yaml) {
        DoubleUnaryOperator logistic = u -> 1 / (1 + Math.exp(-4 * u));
        Map<String, Object> attached = new HashMap<>(yaml);
        attached.put("detach_reset", false);
        Rule rule = Rule.of(provider(id), attached);
        BaseNeuron neuron = ((BaseNeuron) Neurons.create(provider(id), attached, new SmoothTestSurrogate(4),
                DataType.DOUBLE)).withSmoothSpike(logistic);
        Random random = new Random(13);
        double[][] x = currents(random);
        double[][] weights = new double[NEURONS][T];
        for (double[] row : weights) {
            for (int t = 0; t < T; t++) {
                row[t] = random.nextDouble() * 2 - 1;
            }
        }
        neuron.parameters().forEach(Parameter::zeroGradient);
        neuron.forward(timeMajor(x, DataType.DOUBLE), T, true);
        double[] gradInput = Neurons.asVector(neuron.backward(timeMajor(weights, DataType.DOUBLE)));
        for (int n = 0; n < NEURONS; n++) {
            for (int t = 0; t < T; t++) {
                double[] plus = x[n].clone();
                double[] minus = x[n].clone();
                plus[t] += STEP;
                minus[t] -= STEP;
                double numeric = (dot(rule.spikes(plus, logistic), weights[n])
                        - dot(rule.spikes(minus, logistic), weights[n])) / (2 * STEP);
                assertEquals(numeric, gradInput[t * NEURONS + n], 1e-6, id + ": dL/dx of neuron " + n + " step " + t);
            }
        }
        if (neuron.parameters().isEmpty()) {
            return;
        }
        Parameter parameter = neuron.parameters().get(0);
        double numeric = (rule.shifted(parameter.name(), STEP).loss(x, weights, logistic)
                - rule.shifted(parameter.name(), -STEP).loss(x, weights, logistic)) / (2 * STEP);
        assertEquals(numeric, parameter.gradient().getDouble(0), 1e-6 * Math.max(1, Math.abs(numeric)),
                id + ": dL/d" + parameter.name());
    }

    /** The rule's settings for a configuration; {@code w} is PLIF's parameter, from which k follows. */
    private record Rule(boolean plif, double w, double tau, boolean decayInput, double threshold, Double vReset,
                        double beta, double rho) {
        static Rule of(NeuronModelProvider provider, Map<String, Object> yaml) {
            var p = provider.parameters().resolve(yaml);
            boolean plif = provider instanceof PlifNeuronProvider;
            boolean adaptive = provider instanceof AdaptiveLifNeuronProvider;
            Double vReset = p.getString("reset").equals("soft") ? null : p.getDouble("v_reset");
            return new Rule(plif, plif ? -Math.log(p.getDouble("init_tau") - 1) : 0,
                    plif ? 0 : p.getDouble("tau"), p.getBoolean("decay_input"), p.getDouble("threshold"), vReset,
                    adaptive ? p.getDouble("adaptation") : 0, adaptive ? Math.exp(-1 / p.getDouble("tau_adaptation")) : 0);
        }

        Rule shifted(String parameter, double by) {
            return parameter.equals("w") ? new Rule(plif, w + by, tau, decayInput, threshold, vReset, beta, rho)
                    : new Rule(plif, w, tau, decayInput, threshold + by, vReset, beta, rho);
        }

        double[] spikes(double[] x, DoubleUnaryOperator spike) {
            double k = plif ? 1 / (1 + Math.exp(-w)) : 1 / tau;
            return rule(x, k, decayInput, threshold, vReset, beta, rho, spike);
        }

        double loss(double[][] x, double[][] weights, DoubleUnaryOperator spike) {
            double sum = 0;
            for (int n = 0; n < x.length; n++) {
                sum += dot(spikes(x[n], spike), weights[n]);
            }
            return sum;
        }
    }

    private static NeuronModelProvider provider(String id) {
        return switch (id) {
            case PlifNeuronProvider.ID -> new PlifNeuronProvider();
            case AdaptiveLifNeuronProvider.ID -> new AdaptiveLifNeuronProvider();
            default -> new ThresholdLifNeuronProvider();
        };
    }

    /** SpikingJelly's {@code heaviside}: 1 at 0 and above. */
    private static DoubleUnaryOperator heaviside() {
        return u -> u >= 0 ? 1 : 0;
    }

    private static double[][] currents(Random random) {
        double[][] x = new double[NEURONS][T];
        for (double[] row : x) {
            for (int t = 0; t < T; t++) {
                row[t] = random.nextDouble() * 3 - 0.7;
            }
        }
        return x;
    }

    private static double[][] roundedToFloat(double[][] x) {
        double[][] rounded = new double[x.length][];
        for (int n = 0; n < x.length; n++) {
            rounded[n] = new double[x[n].length];
            for (int t = 0; t < x[n].length; t++) {
                rounded[n][t] = (float) x[n][t];
            }
        }
        return rounded;
    }

    /** {@code [T, NEURONS]} from per-neuron sequences. */
    private static INDArray timeMajor(double[][] perNeuron, DataType type) {
        double[][] rows = new double[T][NEURONS];
        for (int n = 0; n < NEURONS; n++) {
            for (int t = 0; t < T; t++) {
                rows[t][n] = perNeuron[n][t];
            }
        }
        return Nd4j.createFromArray(rows).castTo(type);
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
