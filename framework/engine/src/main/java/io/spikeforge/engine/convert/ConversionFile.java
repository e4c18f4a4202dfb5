package io.spikeforge.engine.convert;

import io.spikeforge.api.convert.ThresholdGranularity;
import io.spikeforge.engine.io.Safetensors;
import io.spikeforge.engine.io.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A saved conversion: a safetensors file with one F32 tensor of thresholds per site (named by the
 * site) and the settings in its metadata: {@code format} ({@value #FORMAT}), {@code architecture},
 * {@code granularity} ({@code layer} or {@code channel}), {@code initial_membrane},
 * {@code placement} (its YAML word), {@code calibration_time_steps} and {@code sites} (the site
 * names in forward order, comma-separated).
 */
final class ConversionFile {
    static final String FORMAT = "spikeforge-conversion-thresholds-1";

    private ConversionFile() {
    }

    static void write(Path file, SpikingConversion converted) throws IOException {
        ConversionSettings settings = converted.settings();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("architecture", converted.conversion().ann().architecture());
        metadata.put("granularity", settings.granularity().name().toLowerCase(Locale.ROOT));
        metadata.put("initial_membrane", Double.toString(settings.initialMembrane()));
        metadata.put("placement", settings.placement().yamlName());
        metadata.put("calibration_time_steps", Integer.toString(settings.calibrationTimeSteps()));
        metadata.put("sites", String.join(",", converted.sites()));
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        converted.thresholds().forEach((site, values) -> tensors.put(site, values.castTo(DataType.FLOAT)));
        Safetensors.write(file, tensors, metadata);
    }

    static SpikingConversion read(Path file, Conversion conversion) throws IOException {
        SafetensorsFile content = Safetensors.read(file);
        Map<String, String> metadata = content.metadata();
        if (!FORMAT.equals(metadata.get("format"))) {
            throw new IllegalArgumentException(file + ": not a saved Spikeforge conversion (metadata format is "
                    + metadata.get("format") + ", expected " + FORMAT + ")");
        }
        String architecture = required(file, metadata, "architecture");
        if (!architecture.equals(conversion.ann().architecture())) {
            throw new IllegalArgumentException(file + ": thresholds of a " + architecture + ", but the network is a "
                    + conversion.ann().architecture());
        }
        ConversionSettings settings;
        try {
            settings = ConversionSettings.builder()
                    .optGranularity(granularity(file, required(file, metadata, "granularity")))
                    .optInitialMembrane(number(file, metadata, "initial_membrane"))
                    .optPlacement(placement(file, required(file, metadata, "placement")))
                    .optCalibrationTimeSteps((int) number(file, metadata, "calibration_time_steps"))
                    .build();
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(file.toString()) ? e
                    : new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        Map<String, INDArray> thresholds = new LinkedHashMap<>();
        content.tensors().forEach((site, values) -> thresholds.put(site, values.castTo(DataType.DOUBLE)));
        try {
            return conversion.withThresholds(settings, thresholds);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": does not match the network: " + e.getMessage(), e);
        }
    }

    private static String required(Path file, Map<String, String> metadata, String key) {
        String value = metadata.get(key);
        if (value == null) {
            throw new IllegalArgumentException(file + ": metadata has no '" + key + "'");
        }
        return value;
    }

    private static double number(Path file, Map<String, String> metadata, String key) {
        String value = required(file, metadata, key);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": metadata '" + key + "' must be a number, got '" + value + "'",
                    e);
        }
    }

    private static ThresholdGranularity granularity(Path file, String value) {
        for (ThresholdGranularity granularity : ThresholdGranularity.values()) {
            if (granularity.name().toLowerCase(Locale.ROOT).equals(value)) {
                return granularity;
            }
        }
        throw new IllegalArgumentException(file + ": metadata 'granularity' must be layer or channel, got '" + value
                + "'");
    }

    private static NeuronPlacement placement(Path file, String value) {
        for (NeuronPlacement placement : NeuronPlacement.values()) {
            if (placement.yamlName().equals(value)) {
                return placement;
            }
        }
        throw new IllegalArgumentException(file + ": metadata 'placement' must be after-addition, shortcut-neuron or"
                + " branch-neurons, got '" + value + "'");
    }
}
