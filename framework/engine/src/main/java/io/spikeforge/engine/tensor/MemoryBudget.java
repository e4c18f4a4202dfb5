package io.spikeforge.engine.tensor;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.bytedeco.javacpp.Pointer;

/**
 * How much more native memory this process may take: the smaller of JavaCPP's limit on the
 * process's resident memory ({@code -Dorg.bytedeco.javacpp.maxphysicalbytes}) and the machine's
 * memory (its container's limit where there is one), less what the process already holds.
 *
 * <p>ND4J's arrays live outside the Java heap and are not counted in JavaCPP's
 * {@code maxbytes}, which bounds only JavaCPP's own pointers: measured with ND4J 1.0.0-M2.1, 400 MB
 * of arrays left {@code Pointer.totalBytes()} at 104 bytes, and a 2 GB array was allocated under
 * {@code maxbytes=1G}. What JavaCPP does check is the resident memory against
 * {@code maxphysicalbytes}, after an allocation; and an allocation larger than the machine can give
 * makes libnd4j crash the JVM (SIGSEGV). So work is compared with this budget before it allocates.
 *
 * <p>The Java heap counts with its maximum ({@code -Xmx}), since it may grow to it: data sets and
 * the objects of a run live there.
 *
 * @param limitBytes the smaller of the two limits
 * @param inUseBytes the process's resident memory now (heap, code and native memory)
 * @param heapGrowthBytes how much the Java heap may still grow: its maximum less what it has now
 * @param limitSource where the limit comes from, for messages
 */
public record MemoryBudget(double limitBytes, double inUseBytes, double heapGrowthBytes, String limitSource) {
    /** The budget of this process now. */
    public static MemoryBudget current() {
        List<String> sources = new ArrayList<>();
        double limit = Double.POSITIVE_INFINITY;
        long maxPhysical = Pointer.maxPhysicalBytes();
        if (maxPhysical > 0) {
            limit = maxPhysical;
            sources.add("-Dorg.bytedeco.javacpp.maxphysicalbytes " + MemoryEstimate.format(maxPhysical));
        }
        OptionalLong machine = machineBytes();
        if (machine.isPresent()) {
            limit = Math.min(limit, machine.getAsLong());
            sources.add("the machine's memory " + MemoryEstimate.format(machine.getAsLong()));
        }
        String source = sources.size() == 2 ? "the smaller of " + sources.get(0) + " and " + sources.get(1)
                : sources.isEmpty() ? "no known limit" : sources.get(0);
        OptionalLong resident = ProcessMemory.residentBytes();
        Runtime runtime = Runtime.getRuntime();
        long heapGrowth = runtime.maxMemory() == Long.MAX_VALUE ? 0 : runtime.maxMemory() - runtime.totalMemory();
        return new MemoryBudget(limit, resident.isPresent() ? resident.getAsLong() : 0, Math.max(0, heapGrowth),
                source);
    }

    /** What is left: the limit less the memory in use and the heap's room to grow. */
    public double availableBytes() {
        return limitBytes - inUseBytes - heapGrowthBytes;
    }

    /** Whether an estimate fits in what is left. */
    public boolean fits(MemoryEstimate estimate) {
        return estimate.totalBytes() <= availableBytes();
    }

    /**
     * {@code 17.9 GiB (the smaller of ... 20.0 GiB and the machine's memory 23.5 GiB, less 98.9 MiB in
     * use and 1.97 GiB the Java heap may still grow)}.
     */
    @Override
    public String toString() {
        return MemoryEstimate.format(availableBytes()) + " (" + limitSource + ", less " + MemoryEstimate.format(inUseBytes)
                + " in use and " + MemoryEstimate.format(heapGrowthBytes) + " the Java heap may still grow)";
    }

    private static OptionalLong machineBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long total = os.getTotalMemorySize();
            if (total > 0) {
                return OptionalLong.of(total);
            }
        }
        long physical = Pointer.totalPhysicalBytes();
        return physical > 0 ? OptionalLong.of(physical) : OptionalLong.empty();
    }
}
