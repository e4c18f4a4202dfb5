package io.spikeforge.engine.data;

/**
 * What to generate: a synthetic image set's classes, sizes and seed.
 *
 * @param classCount 10 (written in the CIFAR-10 layout) or 100 (CIFAR-100 layout)
 * @param trainCount training images, at least 1
 * @param testCount test images
 * @param seed the seed; the same spec always gives the same bytes
 */
public record SyntheticSpec(int classCount, int trainCount, int testCount, long seed) {
    /** The most images per split: keeps one split's pixels within a Java array. */
    public static final int MAX_IMAGES_PER_SPLIT = 500_000;

    public SyntheticSpec {
        CifarLayout.forClassCount(classCount);
        if (trainCount < 1 || trainCount > MAX_IMAGES_PER_SPLIT) {
            throw new IllegalArgumentException("trainCount must be in [1, " + MAX_IMAGES_PER_SPLIT + "], got " + trainCount);
        }
        if (testCount < 0 || testCount > MAX_IMAGES_PER_SPLIT) {
            throw new IllegalArgumentException("testCount must be in [0, " + MAX_IMAGES_PER_SPLIT + "], got " + testCount);
        }
    }

    /** The binary layout the set is written in. */
    public CifarLayout layout() {
        return CifarLayout.forClassCount(classCount);
    }

    /** Number of images of a split. */
    public int count(Split split) {
        return split == Split.TRAIN ? trainCount : testCount;
    }

    /** The {@code spikeforge data synth} command line that writes this set into {@code folder}. */
    public String command(String folder) {
        return "spikeforge data synth --classes " + classCount + " --train " + trainCount + " --test " + testCount
                + " --seed " + seed + " --out " + folder;
    }
}
