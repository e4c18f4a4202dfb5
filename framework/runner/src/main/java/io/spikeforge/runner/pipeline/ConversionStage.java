package io.spikeforge.runner.pipeline;

/** The stages of a conversion that report progress ({@link RunListener#onConversionProgress}). */
public enum ConversionStage {
    /** Thresholds chosen layer by layer on the calibration batches; units are spiking layers. */
    CALIBRATION("calibration", "layers"),
    /** The converted network run over the test set up to the largest T; units are batches. */
    EVALUATION("evaluation", "batches"),
    /** The error analysis on the first test images; units are batches. */
    ANALYSIS("error analysis", "batches");

    private final String words;
    private final String units;

    ConversionStage(String words, String units) {
        this.words = words;
        this.units = units;
    }

    /** The stage in words, such as {@code error analysis}. */
    public String words() {
        return words;
    }

    /** What its progress counts, such as {@code layers}. */
    public String units() {
        return units;
    }
}
