package io.spikeforge.runner.pipeline;

import java.nio.charset.StandardCharsets;

/**
 * The seeds of a run's random number generators, each derived from the experiment's seed and its
 * purpose, so that they are independent of each other (changing the student's data order leaves the
 * teacher's weights alone) and equal configurations with equal seeds give equal numbers. A model's
 * seeds derive from its name ({@code teacher}, {@code student}, {@code model}), so that a kind's
 * models never share a stream.
 *
 * @param experimentSeed {@code experiment.seed}
 */
record Seeds(long experimentSeed) {
    static Seeds of(long experimentSeed) {
        return new Seeds(experimentSeed);
    }

    /** Initial weights of the named model (before any initialization strategy). */
    long weights(String model) {
        return derive(experimentSeed, model + "-weights");
    }

    /** Order and augmentation of the named model's training batches. */
    long data(String model) {
        return derive(experimentSeed, model + "-data");
    }

    /** A synthetic data set the run generates. */
    long syntheticData() {
        return derive(experimentSeed, "synthetic-data");
    }

    /** SplitMix64's finalizer over the seed and a hash of the purpose: well spread, non-negative. */
    static long derive(long seed, String purpose) {
        long z = seed;
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            z = z * 31 + b;
        }
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & Long.MAX_VALUE;
    }
}
