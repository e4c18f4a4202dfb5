package io.spikeforge.engine.train;

import java.util.Arrays;

/**
 * Top-1 accuracy per class: of the images of each class, how many the model classified correctly.
 * Immutable.
 */
public final class ClassAccuracy {
    private final long[] correct;
    private final long[] images;

    /**
     * @param correct per class, the images of that class predicted as it
     * @param images per class, the images of that class
     */
    public ClassAccuracy(long[] correct, long[] images) {
        if (correct.length != images.length) {
            throw new IllegalArgumentException("correct and images need one count per class each, got "
                    + correct.length + " and " + images.length);
        }
        for (int c = 0; c < correct.length; c++) {
            if (correct[c] < 0 || correct[c] > images[c]) {
                throw new IllegalArgumentException("class " + c + ": " + correct[c] + " correct of " + images[c]);
            }
        }
        this.correct = correct.clone();
        this.images = images.clone();
    }

    /** The number of classes. */
    public int classes() {
        return correct.length;
    }

    /** Images of class {@code c} classified correctly. */
    public long correct(int c) {
        return correct[c];
    }

    /** Images of class {@code c}. */
    public long images(int c) {
        return images[c];
    }

    /** The accuracy on class {@code c} in [0, 1]; NaN when the set has no image of it. */
    public double accuracy(int c) {
        return images[c] == 0 ? Double.NaN : (double) correct[c] / images[c];
    }

    /** Images classified correctly, over all classes. */
    public long totalCorrect() {
        return Arrays.stream(correct).sum();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClassAccuracy that && Arrays.equals(correct, that.correct)
                && Arrays.equals(images, that.images);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(correct) + Arrays.hashCode(images);
    }

    @Override
    public String toString() {
        return "ClassAccuracy" + Arrays.toString(correct) + "/" + Arrays.toString(images);
    }
}
