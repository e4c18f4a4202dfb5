package io.spikeforge.plugins.loopinit;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Loop interpolation of a tensor to a new shape: along every resized dimension, entry {@code j} of
 * the result is entry {@code j mod n} of the source, where {@code n} is the source's size. A larger
 * target repeats the source's entries cyclically; a smaller one keeps the first entries.
 */
final class ChannelTiling {
    private ChannelTiling() {
    }

    /**
     * The loop-interpolated values of {@code source} in {@code targetShape}: a new array or a view of
     * {@code source}, to be read (for example by {@code assign}), never written. Both shapes must have
     * the same rank.
     */
    static INDArray tile(INDArray source, long[] targetShape) {
        if (Arrays.equals(source.shape(), targetShape)) {
            return source;
        }
        int[] repeats = new int[targetShape.length];
        INDArrayIndex[] leading = new INDArrayIndex[targetShape.length];
        boolean repeated = false;
        for (int axis = 0; axis < targetShape.length; axis++) {
            long sourceSize = source.size(axis);
            repeats[axis] = Math.toIntExact((targetShape[axis] + sourceSize - 1) / sourceSize);
            repeated |= repeats[axis] > 1;
            leading[axis] = NDArrayIndex.interval(0, targetShape[axis]);
        }
        // Repeating the whole tensor and cutting the leading block is j -> j mod n on every axis at
        // once, in two native operations. (The Gather op would do it per axis, but in ND4J 1.0.0-M2.1
        // Gather with int[] indices crashes the JVM on vectors such as BN weights.)
        INDArray tiled = repeated ? Nd4j.tile(source, repeats) : source;
        return tiled.get(leading);
    }
}
