package io.spikeforge.engine.data;

/** The two parts of an image data set. */
public enum Split {
    /** The images a model learns from. */
    TRAIN("train"),
    /** The held-out images a model is evaluated on. */
    TEST("test");

    private final String displayName;

    Split(String displayName) {
        this.displayName = displayName;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
