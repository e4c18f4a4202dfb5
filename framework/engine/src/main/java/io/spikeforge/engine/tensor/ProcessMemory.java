package io.spikeforge.engine.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The process's resident memory as the kernel counts it: Java heap, JIT and native allocations
 * (ND4J's off-heap buffers, oneDNN scratch) together.
 */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    /** Writing 5 here resets the peak resident size (proc(5), since Linux 4.0). */
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ProcessMemory() {
    }

    /** Peak resident set size in bytes ({@code VmHWM}), where the platform reports it (Linux). */
    public static OptionalLong peakResidentBytes() {
        return field("VmHWM:");
    }

    /**
     * Starts a new peak: sets {@code VmHWM} to the current resident size, so that
     * {@link #peakResidentBytes()} reports the peak of what runs next (Linux 4.0 and later, through
     * {@code /proc/self/clear_refs}).
     *
     * @return whether the platform reset it; when false the peak stays the process's since its start
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** Current resident set size in bytes ({@code VmRSS}), where the platform reports it (Linux). */
    public static OptionalLong residentBytes() {
        return field("VmRSS:");
    }

    private static OptionalLong field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
