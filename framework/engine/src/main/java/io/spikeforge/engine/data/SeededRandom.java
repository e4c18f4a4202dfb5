package io.spikeforge.engine.data;

/**
 * A SplitMix64 random stream derived from a seed and the coordinates of what it decides (an epoch,
 * an image index, a purpose), so that no result depends on the order in which other random
 * decisions were made.
 *
 * <p>Written out here rather than taken from {@code java.util} so that the streams, and with them
 * generated data sets and epoch orders, are fixed by this code and not by a JDK version.
 */
final class SeededRandom {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final double DOUBLE_UNIT = 0x1.0p-53;
    private static final double SQRT_3 = 1.7320508075688772;

    private long state;

    private SeededRandom(long state) {
        this.state = state;
    }

    /** A stream determined by the seed and every coordinate, in order. */
    static SeededRandom of(long seed, long... coordinates) {
        long h = mix(seed + GOLDEN_GAMMA);
        for (long coordinate : coordinates) {
            h = mix(h + GOLDEN_GAMMA + mix(coordinate ^ 0x632BE59BD9B4E019L));
        }
        return new SeededRandom(h);
    }

    /** The SplitMix64 finalizer (Stafford's variant 13): a bijection with good avalanche. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in {@code [0, 1)}. */
    double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /** Uniform in {@code [low, high)}. */
    double uniform(double low, double high) {
        return low + (high - low) * nextDouble();
    }

    /** Uniform in {@code [0, bound)}; the multiply-shift bias is below 2^-32 for the bounds used here. */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, got " + bound);
        }
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    boolean nextBoolean() {
        return nextLong() < 0;
    }

    /** True with the given probability. */
    boolean chance(double probability) {
        return nextDouble() < probability;
    }

    /** Approximately standard normal: the centred sum of four uniforms, scaled to unit variance (Irwin-Hall). */
    double nearGaussian() {
        double sum = nextDouble() + nextDouble() + nextDouble() + nextDouble();
        return (sum - 2.0) * SQRT_3;
    }

    /** A permutation of {@code 0..size-1} drawn with Fisher-Yates. */
    int[] permutation(int size) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
