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

    private ProcessMemory() {
    }

    /** Peak resident set size in bytes ({@code VmHWM}), where the platform reports it (Linux). */
    public static OptionalLong peakResidentBytes() {
        return field("VmHWM:");
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
