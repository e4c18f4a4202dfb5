package io.spikeforge.testkit.neuron;

import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The triangle surrogate with one deliberate defect, for checking that the contract catches it. */
final class DefectiveSurrogate implements SurrogateFunction {
    /** The defects, each of which one contract check must catch. */
    enum Defect {
        /** The array form is twice the scalar form. */
        ARRAY_FORM_DOUBLED,
        /** Height 1/2: consistent, non-negative, but of area 1/2. */
        HALF_AREA,
        /** The array form writes its result into {@code u} and copies it to {@code out}. */
        MUTATES_INPUT,
        /** The array form clears {@code out} before reading {@code u}, which breaks {@code out == u}. */
        BROKEN_IN_PLACE,
        /** Centred at 1/4 instead of 0. */
        SHIFTED,
        /** {@code 1 - |u|} without the clamp at 0. */
        NEGATIVE_TAILS,
        /** {@code |u|} inside {@code |u| < 1}: unit area but no gradient at the threshold. */
        ZERO_AT_THRESHOLD,
        /** The array form reads {@code u}'s raw buffer, ignoring offset and strides. */
        IGNORES_STRIDES,
        /** The array form writes its results into {@code out}'s buffer in C order, whatever {@code out}'s order. */
        WRITES_C_ORDER
    }

    private final Defect defect;

    DefectiveSurrogate(Defect defect) {
        this.defect = defect;
    }

    @Override
    public double derivative(double u) {
        switch (defect) {
            case HALF_AREA:
                return 0.5 * triangle(u);
            case SHIFTED:
                return triangle(u - 0.25);
            case NEGATIVE_TAILS:
                return 1 - Math.abs(u);
            case ZERO_AT_THRESHOLD:
                return Math.abs(u) < 1 ? Math.abs(u) : 0;
            default:
                return triangle(u);
        }
    }

    @Override
    public INDArray derivative(INDArray u, INDArray out) {
        if (defect == Defect.BROKEN_IN_PLACE) {
            out.assign(0);
        }
        double[] points = defect == Defect.IGNORES_STRIDES
                ? Arrays.copyOf(u.data().asDouble(), (int) u.length())
                : SurrogateFunctionContract.flatten(u);
        double[] values = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            values[i] = (defect == Defect.ARRAY_FORM_DOUBLED ? 2 : 1) * derivative(points[i]);
        }
        INDArray result = Nd4j.createFromArray(values).reshape('c', u.shape()).castTo(out.dataType());
        if (defect == Defect.WRITES_C_ORDER && out.ordering() == 'f' && out.length() == out.data().length()) {
            for (int i = 0; i < values.length; i++) {
                out.data().put(i, values[i]);
            }
            return out;
        }
        if (defect == Defect.MUTATES_INPUT) {
            u.assign(result);
            return out.assign(u);
        }
        return out.assign(result);
    }

    private static double triangle(double u) {
        return Math.max(0, 1 - Math.abs(u));
    }

    @Override
    public String toString() {
        return "triangle with defect " + defect;
    }
}
