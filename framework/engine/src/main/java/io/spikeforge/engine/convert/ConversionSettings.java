package io.spikeforge.engine.convert;

import io.spikeforge.api.convert.ThresholdGranularity;
import java.util.Objects;

/**
 * How an ANN is converted: thresholds per layer or per channel, the neurons' initial membrane
 * potential, where neurons sit in residual blocks, and the time-steps thresholds are calibrated for.
 * Made by {@link #builder()}; immutable.
 */
public final class ConversionSettings {
    private final ThresholdGranularity granularity;
    private final double initialMembrane;
    private final NeuronPlacement placement;
    private final int calibrationTimeSteps;

    private ConversionSettings(Builder builder) {
        this.granularity = builder.granularity;
        this.initialMembrane = builder.initialMembrane;
        this.placement = builder.placement;
        this.calibrationTimeSteps = builder.calibrationTimeSteps;
    }

    /** A builder with the defaults: per-layer thresholds, initial membrane 0.5, after-addition, 16 time-steps. */
    public static Builder builder() {
        return new Builder();
    }

    /** One threshold per spiking site, or one per channel. */
    public ThresholdGranularity granularity() {
        return granularity;
    }

    /** The membrane potential before the first step as a fraction of the threshold, in [0, 1). */
    public double initialMembrane() {
        return initialMembrane;
    }

    /** Where neurons sit in residual blocks. */
    public NeuronPlacement placement() {
        return placement;
    }

    /** The T that calibration measures errors at ({@link io.spikeforge.api.convert.LayerCalibration#timeSteps()}). */
    public int calibrationTimeSteps() {
        return calibrationTimeSteps;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConversionSettings o && granularity == o.granularity
                && Double.compare(initialMembrane, o.initialMembrane) == 0 && placement == o.placement
                && calibrationTimeSteps == o.calibrationTimeSteps;
    }

    @Override
    public int hashCode() {
        return Objects.hash(granularity, initialMembrane, placement, calibrationTimeSteps);
    }

    @Override
    public String toString() {
        return "granularity " + granularity.name().toLowerCase(java.util.Locale.ROOT) + ", initial membrane "
                + initialMembrane + ", placement " + placement.yamlName() + ", calibration time-steps "
                + calibrationTimeSteps;
    }

    /** Settings of a conversion; every setter is optional. */
    public static final class Builder {
        private ThresholdGranularity granularity = ThresholdGranularity.LAYER;
        private double initialMembrane = 0.5;
        private NeuronPlacement placement = NeuronPlacement.AFTER_ADDITION;
        private int calibrationTimeSteps = 16;

        private Builder() {
        }

        /** Per-layer (default) or per-channel thresholds. */
        public Builder optGranularity(ThresholdGranularity granularity) {
            this.granularity = Objects.requireNonNull(granularity, "granularity");
            return this;
        }

        /** v(0) as a fraction of the threshold, in [0, 1); default 0.5 (threshold/2). */
        public Builder optInitialMembrane(double initialMembrane) {
            if (!(initialMembrane >= 0 && initialMembrane < 1)) {
                throw new IllegalArgumentException("the initial membrane is a fraction of the threshold in [0, 1), got "
                        + initialMembrane);
            }
            this.initialMembrane = initialMembrane;
            return this;
        }

        /** Where neurons sit in residual blocks; default {@link NeuronPlacement#AFTER_ADDITION}. */
        public Builder optPlacement(NeuronPlacement placement) {
            this.placement = Objects.requireNonNull(placement, "placement");
            return this;
        }

        /** The time-steps calibration measures errors at; default 16. */
        public Builder optCalibrationTimeSteps(int calibrationTimeSteps) {
            if (calibrationTimeSteps < 1) {
                throw new IllegalArgumentException("calibration time-steps must be positive, got " + calibrationTimeSteps);
            }
            this.calibrationTimeSteps = calibrationTimeSteps;
            return this;
        }

        public ConversionSettings build() {
            return new ConversionSettings(this);
        }
    }
}
