package io.spikeforge.engine.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The native memory a piece of work needs, by what holds it, estimated from shapes before anything
 * is allocated. Bytes are doubles so that absurd sizes (a width of a million) neither overflow nor
 * wrap around.
 *
 * @param parameterBytes parameter values and other model state (BN running statistics)
 * @param gradientBytes parameter gradients, and the layers' scratch copies of them
 * @param optimizerBytes optimizer state (SGD momentum buffers)
 * @param activationBytes what the layers keep between calls: every layer's output buffer per batch
 *     shape, what the backward pass needs, gradient buffers
 * @param workspaceBytes transient buffers of single operations (a convolution's reordered copies,
 *     the neurons' shared work space)
 * @param dataBytes input batches: the images being trained on and those the loader prepares
 */
public record MemoryEstimate(double parameterBytes, double gradientBytes, double optimizerBytes,
                             double activationBytes, double workspaceBytes, double dataBytes) {
    /** Nothing. */
    public static final MemoryEstimate NONE = new MemoryEstimate(0, 0, 0, 0, 0, 0);

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    /** The sum of all parts. */
    public double totalBytes() {
        return parameterBytes + gradientBytes + optimizerBytes + activationBytes + workspaceBytes + dataBytes;
    }

    /** Both estimates together, as when two pieces of work hold their memory at the same time. */
    public MemoryEstimate plus(MemoryEstimate other) {
        return new MemoryEstimate(parameterBytes + other.parameterBytes, gradientBytes + other.gradientBytes,
                optimizerBytes + other.optimizerBytes, activationBytes + other.activationBytes,
                workspaceBytes + other.workspaceBytes, dataBytes + other.dataBytes);
    }

    /** {@code 1.2 GiB (parameters 85 MiB, gradients 170 MiB, ...)}, leaving out parts that are zero. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        part(parts, "parameters", parameterBytes);
        part(parts, "gradients", gradientBytes);
        part(parts, "momentum", optimizerBytes);
        part(parts, "activations", activationBytes);
        part(parts, "workspace", workspaceBytes);
        part(parts, "input batches", dataBytes);
        return format(totalBytes()) + " (" + String.join(", ", parts) + ")";
    }

    private static void part(List<String> parts, String name, double bytes) {
        if (bytes > 0) {
            parts.add(name + " " + format(bytes));
        }
    }

    /** Bytes in binary units with three significant digits: {@code 512 B}, {@code 1.50 GiB}, {@code 31.8 TiB}. */
    public static String format(double bytes) {
        int unit = 0;
        double value = bytes;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        if (unit == 0) {
            return String.format(Locale.ROOT, "%.0f B", value);
        }
        String digits = value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, digits + " %s", value, UNITS[unit]);
    }
}
