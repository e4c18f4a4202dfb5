package io.spikeforge.runner.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this Spikeforge build. */
public final class SpikeforgeVersion {
    /** What {@link #current()} answers when the build did not record a version (an IDE run). */
    public static final String UNKNOWN = "0.0.0";

    private static final String RESOURCE = "spikeforge-version.properties";

    private SpikeforgeVersion() {
    }

    /**
     * The project version Maven filtered into this module's resources, or {@value #UNKNOWN} when
     * the resources were not filtered; PF4J skips {@code plugin.requires} checks for {@value #UNKNOWN}.
     */
    public static String current() {
        try (InputStream in = SpikeforgeVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "").strip();
            return version.isEmpty() || version.startsWith("${") ? UNKNOWN : version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
