package io.spikeforge.engine.convert;

/** Told how far a conversion's calibration, evaluation or error analysis has got, for a progress bar. */
@FunctionalInterface
public interface ConversionProgress {
    /** Ignores every report. */
    ConversionProgress NONE = (done, total, item) -> { };

    /**
     * @param done units finished: spiking sites calibrated, or batches evaluated
     * @param total all units, or -1 when not known in advance (batches of an iterator)
     * @param item what was just finished, such as {@code layer1.0.sn1} or {@code batch 3}
     */
    void update(int done, int total, String item);
}
