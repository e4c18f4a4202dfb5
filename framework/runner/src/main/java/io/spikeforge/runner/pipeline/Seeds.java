package io.spikeforge.runner.pipeline;

import java.nio.charset.StandardCharsets;

/**
 * The seeds of a run's random number generators, each derived from the experiment's seed and its
 * purpose, so that they are independent of each other (changing the student's data order leaves the
 * teacher's weights alone) and equal configurations with equal seeds give equal numbers.
 *
 * @param teacherWeights initial weights of the teacher
 * @param studentWeights initial weights of the student (before any initialization strategy)
 * @param teacherData order and augmentation of the teacher's training batches
 * @param studentData order and augmentation of the student's training batches
 * @param syntheticData a synthetic data set the run generates
 */
record Seeds(long teacherWeights, long studentWeights, long teacherData, long studentData, long syntheticData) {
    static Seeds of(long experimentSeed) {
        return new Seeds(derive(experimentSeed, "teacher-weights"), derive(experimentSeed, "student-weights"),
                derive(experimentSeed, "teacher-data"), derive(experimentSeed, "student-data"),
                derive(experimentSeed, "synthetic-data"));
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
