package io.spikeforge.engine.tensor;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Optional accounting of the time spent inside kernels, by kind, for the benchmark's shares of
 * step time (convolutions, batch normalization, spiking neurons). Off by default: then {@link #start()} costs one
 * volatile read and nothing is recorded. CPU ops run synchronously, so wall time around a call is
 * the kernel's time.
 */
public final class KernelTimer {
    /** What a timed kernel computes. */
    public enum Kind {
        /** Conv2d forward and backward. */
        CONVOLUTION,
        /** BatchNorm2d forward and backward. */
        BATCH_NORM,
        /** The neuron model of a spiking activation, forward and backward. */
        NEURONS
    }

    private static volatile boolean enabled;
    private static final Map<Kind, LongAdder> NANOS = new EnumMap<>(Kind.class);

    static {
        for (Kind kind : Kind.values()) {
            NANOS.put(kind, new LongAdder());
        }
    }

    private KernelTimer() {
    }

    /** Turns accounting on or off; turning it on clears the totals. */
    public static void enable(boolean on) {
        if (on) {
            reset();
        }
        enabled = on;
    }

    /** A start mark for {@link #stop}, or 0 when accounting is off. */
    public static long start() {
        return enabled ? System.nanoTime() : 0;
    }

    /** Adds the time since {@code start} to {@code kind}'s total. */
    public static void stop(Kind kind, long start) {
        if (start != 0) {
            NANOS.get(kind).add(System.nanoTime() - start);
        }
    }

    /** Nanoseconds recorded for {@code kind} since the last reset. */
    public static long nanos(Kind kind) {
        return NANOS.get(kind).sum();
    }

    /** Clears the totals. */
    public static void reset() {
        NANOS.values().forEach(LongAdder::reset);
    }
}
