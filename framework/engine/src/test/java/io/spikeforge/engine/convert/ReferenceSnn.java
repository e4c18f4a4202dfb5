package io.spikeforge.engine.convert;

import io.spikeforge.api.model.StateDict;
import io.spikeforge.engine.layer.BatchNorm2d;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A plain reference of converted networks for the tests: tensors as double arrays, every layer a
 * loop, BN folded from the ANN's state dict, IF neurons stepped one time-step at a time. Knows the
 * tiny ResNet (two stages of one block, the second with a projection) and the tiny VGG-11 of the
 * tests.
 */
final class ReferenceSnn {
    /** A tensor {@code [n, c, h, w]} ({@code h = w = 1} for features). */
    record Tensor(int n, int c, int h, int w, double[] v) {
        Tensor(int n, int c, int h, int w) {
            this(n, c, h, w, new double[n * c * h * w]);
        }

        double get(int i, int ch, int y, int x) {
            return v[((i * c + ch) * h + y) * w + x];
        }

        Tensor plus(Tensor o) {
            Tensor s = new Tensor(n, c, h, w);
            for (int k = 0; k < v.length; k++) {
                s.v[k] = v[k] + o.v[k];
            }
            return s;
        }

        static Tensor of(INDArray a) {
            long[] s = a.shape();
            int h = s.length > 2 ? (int) s[2] : 1;
            int w = s.length > 3 ? (int) s[3] : 1;
            return new Tensor((int) s[0], (int) s[1], h, w, a.castTo(DataType.DOUBLE).dup('c').reshape(a.length())
                    .toDoubleVector());
        }
    }

    /** A convolution with BN folded in. */
    record Conv(double[] weight, double[] bias, int out, int in, int k, int stride, int pad) {
        Tensor apply(Tensor x) {
            int oh = (x.h() + 2 * pad - k) / stride + 1;
            int ow = (x.w() + 2 * pad - k) / stride + 1;
            Tensor y = new Tensor(x.n(), out, oh, ow);
            for (int i = 0; i < x.n(); i++) {
                for (int o = 0; o < out; o++) {
                    for (int r = 0; r < oh; r++) {
                        for (int q = 0; q < ow; q++) {
                            double sum = bias[o];
                            for (int c = 0; c < in; c++) {
                                for (int a = 0; a < k; a++) {
                                    for (int b = 0; b < k; b++) {
                                        int yy = r * stride - pad + a;
                                        int xx = q * stride - pad + b;
                                        if (yy >= 0 && yy < x.h() && xx >= 0 && xx < x.w()) {
                                            sum += weight[((o * in + c) * k + a) * k + b] * x.get(i, c, yy, xx);
                                        }
                                    }
                                }
                            }
                            y.v()[((i * out + o) * oh + r) * ow + q] = sum;
                        }
                    }
                }
            }
            return y;
        }

        long macsPerImage(Tensor output) {
            return (long) out * output.h() * output.w() * in * k * k;
        }
    }

    /** IF neurons with soft reset over one tensor shape. */
    static final class Neurons {
        final double[] thresholds;
        final double f;
        final boolean signed;
        double[] v;
        long[] count;
        long events;

        Neurons(double[] thresholds, double f, boolean signed) {
            this.thresholds = thresholds;
            this.f = f;
            this.signed = signed;
        }

        Tensor step(Tensor x) {
            if (v == null) {
                v = new double[x.v().length];
                count = new long[x.v().length];
                for (int k = 0; k < v.length; k++) {
                    v[k] = f * theta(x, k);
                }
            }
            Tensor out = new Tensor(x.n(), x.c(), x.h(), x.w());
            for (int k = 0; k < v.length; k++) {
                double theta = theta(x, k);
                v[k] += x.v()[k];
                int s = v[k] >= theta ? 1 : signed && v[k] < (2 * f - 1) * theta ? -1 : 0;
                v[k] -= theta * s;
                out.v()[k] = theta * s;
                count[k] += s;
                events += s != 0 ? 1 : 0;
            }
            return out;
        }

        private double theta(Tensor x, int k) {
            int channel = (k / (x.h() * x.w())) % x.c();
            return thresholds.length == 1 ? thresholds[0] : thresholds[channel];
        }
    }

    private final StateDict state;
    private final Map<String, Neurons> neurons = new LinkedHashMap<>();
    private final Map<String, Double> accumulates = new LinkedHashMap<>();
    private final NeuronPlacement placement;
    private final double f;
    private final Map<String, double[]> thresholds;
    private final Map<String, Conv> convs = new LinkedHashMap<>();
    private Tensor encoded;

    ReferenceSnn(StateDict state, Map<String, double[]> thresholds, double f, NeuronPlacement placement) {
        this.state = state;
        this.thresholds = thresholds;
        this.f = f;
        this.placement = placement;
    }

    Map<String, Neurons> neurons() {
        return neurons;
    }

    /** Accumulates per layer summed over the images and steps so far. */
    Map<String, Double> accumulates() {
        return accumulates;
    }

    private Tensor site(String name, Tensor x, boolean signed) {
        return neurons.computeIfAbsent(name, n -> new Neurons(thresholds.get(n), f, signed)).step(x);
    }

    private double[] values(String name) {
        INDArray a = state.get(name);
        return a.castTo(DataType.DOUBLE).dup('c').reshape(a.length()).toDoubleVector();
    }

    /** A convolution folded with the BN after it (or none), as its own loop in double. */
    Conv conv(String convName, String bnName, int stride, int pad) {
        return convs.computeIfAbsent(convName, n -> {
            INDArray w = state.get(convName + ".weight");
            int out = (int) w.size(0);
            int in = (int) w.size(1);
            int k = (int) w.size(2);
            double[] weight = values(convName + ".weight");
            double[] bias = state.names().contains(convName + ".bias") ? values(convName + ".bias") : new double[out];
            if (bnName != null) {
                double[] gamma = values(bnName + ".weight");
                double[] beta = values(bnName + ".bias");
                double[] mean = values(bnName + ".running_mean");
                double[] var = values(bnName + ".running_var");
                for (int o = 0; o < out; o++) {
                    double s = gamma[o] / Math.sqrt(var[o] + BatchNorm2d.EPSILON);
                    for (int j = 0; j < in * k * k; j++) {
                        weight[o * in * k * k + j] *= s;
                    }
                    bias[o] = (bias[o] - mean[o]) * s + beta[o];
                }
            }
            return new Conv(weight, bias, out, in, k, stride, pad);
        });
    }

    /** A weighted layer on spiking input: counts its accumulates (MACs times the non-zero fraction). */
    private Tensor counted(String name, Conv conv, Tensor x) {
        Tensor y = conv.apply(x);
        long nonZero = 0;
        for (double value : x.v()) {
            nonZero += value != 0 ? 1 : 0;
        }
        double perImage = (double) x.v().length / x.n();
        accumulates.merge(name, conv.macsPerImage(y) * nonZero / perImage, Double::sum);
        return y;
    }

    /** One time-step of the tiny ResNet; the logits. */
    Tensor resNetStep(Tensor image) {
        if (encoded == null) {
            encoded = conv("conv1", "bn1", 1, 1).apply(image);
        }
        Tensor x = site("sn1", encoded, false);
        x = block("layer1.0", x, false);
        x = block("layer2.0", x, true);
        return head(x, "fc");
    }

    private Tensor block(String name, Tensor x, boolean projection) {
        int stride = projection ? 2 : 1;
        Tensor h = site(name + ".sn1", counted(name + ".conv1", conv(name + ".conv1", name + ".bn1", stride, 1), x),
                false);
        Tensor main = counted(name + ".conv2", conv(name + ".conv2", name + ".bn2", 1, 1), h);
        Tensor shortcut;
        switch (placement) {
            case AFTER_ADDITION -> shortcut = projection ? counted(name + ".downsample.0",
                    conv(name + ".downsample.0", name + ".downsample.1", 2, 0), x) : x;
            case SHORTCUT_NEURON -> {
                Tensor spikes = site(name + ".shortcut_sn", x, false);
                shortcut = projection ? counted(name + ".downsample.0",
                        conv(name + ".downsample.0", name + ".downsample.1", 2, 0), spikes) : spikes;
            }
            default -> {
                main = site(name + ".main_sn", main, true);
                shortcut = projection ? site(name + ".shortcut_sn", counted(name + ".downsample.0",
                        conv(name + ".downsample.0", name + ".downsample.1", 2, 0), x), true)
                        : site(name + ".shortcut_sn", x, false);
            }
        }
        return site(name + ".sn2", main.plus(shortcut), false);
    }

    /** One time-step of the tiny VGG-11 (average pooling); the logits. */
    Tensor vggStep(Tensor image) {
        int[] convs = {0, 4, 8, 11, 15, 18, 22, 25};
        boolean[] poolAfter = {true, true, false, true, false, true, false, true};
        Tensor x = null;
        for (int i = 0; i < convs.length; i++) {
            String name = "features." + convs[i];
            Conv conv = conv(name, "features." + (convs[i] + 1), 1, 1);
            if (i == 0) {
                if (encoded == null) {
                    encoded = conv.apply(image);
                }
                x = encoded;
            } else {
                x = counted(name, conv, x);
            }
            x = site("features." + (convs[i] + 2), x, false);
            if (poolAfter[i]) {
                x = averagePool(x);
            }
        }
        return head(x, "classifier");
    }

    private static Tensor averagePool(Tensor x) {
        int oh = (x.h() + 1) / 2;
        int ow = (x.w() + 1) / 2;
        Tensor y = new Tensor(x.n(), x.c(), oh, ow);
        for (int i = 0; i < x.n(); i++) {
            for (int c = 0; c < x.c(); c++) {
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        double sum = 0;
                        int present = 0;
                        for (int a = 0; a < 2; a++) {
                            for (int b = 0; b < 2; b++) {
                                if (2 * r + a < x.h() && 2 * q + b < x.w()) {
                                    sum += x.get(i, c, 2 * r + a, 2 * q + b);
                                    present++;
                                }
                            }
                        }
                        y.v()[((i * x.c() + c) * oh + r) * ow + q] = sum / present;
                    }
                }
            }
        }
        return y;
    }

    /** Global average pooling and the classifier, counted as a layer on spiking input. */
    private Tensor head(Tensor x, String classifier) {
        Tensor pooled = new Tensor(x.n(), x.c(), 1, 1);
        for (int i = 0; i < x.n(); i++) {
            for (int c = 0; c < x.c(); c++) {
                double sum = 0;
                for (int r = 0; r < x.h(); r++) {
                    for (int q = 0; q < x.w(); q++) {
                        sum += x.get(i, c, r, q);
                    }
                }
                pooled.v()[i * x.c() + c] = sum / (x.h() * x.w());
            }
        }
        INDArray w = state.get(classifier + ".weight");
        Conv linear = new Conv(values(classifier + ".weight"), values(classifier + ".bias"), (int) w.size(0),
                (int) w.size(1), 1, 1, 0);
        return counted(classifier, linear, pooled);
    }
}
