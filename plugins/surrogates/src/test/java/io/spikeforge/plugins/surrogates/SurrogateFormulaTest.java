package io.spikeforge.plugins.surrogates;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spikeforge.api.neuron.AlphaSurrogateProvider;
import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Each alpha surrogate against its closed form in double precision, at SpikingJelly's default alpha
 * (resolved from an empty YAML block) and at another. The expected values were computed outside
 * Spikeforge, with Python's {@code math}, from SpikingJelly's formulas as its documentation writes
 * them (not from the forms the classes use): {@code Sigmoid}: {@code alpha s (1 - s)}, {@code s =
 * 1/(1 + exp(-alpha u))}; {@code ATan}: {@code (alpha/2) / (1 + (pi/2 alpha u)^2)};
 * {@code PiecewiseQuadratic}: 0 where {@code |u| > 1/alpha}, else {@code -alpha^2 |u| + alpha};
 * {@code Erf}: {@code alpha / sqrt(pi) exp(-(alpha u)^2)}; {@code SuperSpike}: {@code alpha / (|u| + 1)^2}.
 */
class SurrogateFormulaTest {
    private static final double[] POINTS = {-1.5, -0.25, 0.0, 0.1, 0.5, 2.0};

    static Stream<Arguments> closedForms() {
        return Stream.of(
                Arguments.of(new SigmoidSurrogate(), 4.0, true, new double[] {0.009866037165440192, 0.7864477329659274,
                        1.0, 0.9610429829661166, 0.41997434161402647, 0.0013409506830254726}),
                Arguments.of(new SigmoidSurrogate(), 1.5, false, new double[] {0.12938691666384447,
                        0.36211935187942856, 0.375, 0.37289851001631447, 0.32684249064272103, 0.06776498959636801}),
                Arguments.of(new AtanSurrogate(), 2.0, true, new double[] {0.04309117118801489, 0.6184864581588363, 1.0,
                        0.9101698376462755, 0.288400439142001, 0.02470452303185764}),
                Arguments.of(new AtanSurrogate(), 0.5, false, new double[] {0.10469392626597288, 0.24071950663246922,
                        0.25, 0.24846732860007611, 0.21659788392969986, 0.07210010978550024}),
                Arguments.of(new TriangleSurrogate(), 1.0, true, new double[] {0.0, 0.75, 1.0, 0.9, 0.5, 0.0}),
                Arguments.of(new TriangleSurrogate(), 2.5, false, new double[] {0.0, 0.9375, 2.5, 1.875, 0.0, 0.0}),
                Arguments.of(new ErfSurrogate(), 2.0, true, new double[] {0.00013925305194674786, 0.8787825789354448,
                        1.1283791670955126, 1.084134787104863, 0.4151074974205947, 1.2698234671866558e-07}),
                Arguments.of(new ErfSurrogate(), 0.8, false, new double[] {0.10693773880141563, 0.4336539148419453,
                        0.4513516668382051, 0.4484722401642336, 0.3846165195357232, 0.03489162345357813}),
                Arguments.of(new FastSigmoidSurrogate(), 1.0, true, new double[] {0.16, 0.64, 1.0, 0.8264462809917354,
                        0.4444444444444444, 0.1111111111111111}),
                Arguments.of(new FastSigmoidSurrogate(), 3.0, false, new double[] {0.48, 1.92, 3.0, 2.4793388429752063,
                        1.3333333333333333, 0.3333333333333333}));
    }

    @ParameterizedTest(name = "{0} alpha={1}")
    @MethodSource("closedForms")
    void matchesTheClosedForm(AlphaSurrogateProvider provider, double alpha, boolean isDefault, double[] expected) {
        SurrogateFunction surrogate = isDefault
                ? provider.create(provider.parameters().resolve(Map.of()))
                : provider.create(provider.parameters().resolve(Map.of("alpha", alpha)));
        assertEquals(provider.id() + "(alpha=" + alpha + ")", surrogate.toString());
        INDArray array = surrogate.derivative(Nd4j.createFromArray(POINTS), Nd4j.zeros(DataType.DOUBLE, POINTS.length));
        for (int i = 0; i < POINTS.length; i++) {
            double tolerance = 1e-15 * Math.max(1, expected[i]);
            assertEquals(expected[i], surrogate.derivative(POINTS[i]), tolerance, "scalar form at u = " + POINTS[i]);
            assertEquals(expected[i], array.getDouble(i), tolerance, "array form at u = " + POINTS[i]);
        }
    }
}
