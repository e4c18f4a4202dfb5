package io.spikeforge.runner.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The version of this Spikeforge build, and how plugins' {@code plugin.requires} is read against it.
 *
 * <p>Requirements compare release versions: pre-release qualifiers and build metadata are dropped on
 * both sides, so a development build {@code 0.1.0-SNAPSHOT} counts as {@code 0.1.0} (it is the code
 * that becomes 0.1.0), and {@code >=0.1.0-SNAPSHOT} means {@code >=0.1.0}.
 */
public final class SpikeforgeVersion {
    /** What {@link #current()} answers when the build did not record a version (an IDE run). */
    public static final String UNKNOWN = "0.0.0";

    private static final String RESOURCE = "spikeforge-version.properties";
    /** A version with its qualifier: {@code 1.2.3}, then {@code -pre.release} and {@code +build} parts. */
    private static final Pattern QUALIFIED = Pattern.compile(
            "(\\d+\\.\\d+\\.\\d+)(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");

    private SpikeforgeVersion() {
    }

    /**
     * The project version Maven filtered into this module's resources, or {@value #UNKNOWN} when
     * the resources were not filtered; the host skips {@code plugin.requires} checks for {@value #UNKNOWN}.
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

    /**
     * {@code text} with every version in it reduced to its release part: {@code 0.1.0-SNAPSHOT} becomes
     * {@code 0.1.0}, {@code >=1.0.0-rc.1 & <2.0.0} becomes {@code >=1.0.0 & <2.0.0}.
     */
    public static String release(String text) {
        return QUALIFIED.matcher(text).replaceAll("$1");
    }
}
