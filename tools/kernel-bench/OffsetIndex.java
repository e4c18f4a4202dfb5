import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Why the batch-norm kernels keep each row of a block in a heap array of its own and index the
 * per-position sums of a thread's part from 0 (docs/engine.md, "Fused float kernels"): JDK 17's C2
 * vectorizes {@code sums[i] += row[i]} but hardly {@code sums[i] += block[start + i]}, where one
 * array is indexed at an offset that the loop does not know. Times the sums over the 8 rows of
 * 16384 floats (a 512 KB block in the L2 cache) both ways, on one thread, in thread CPU time (so
 * that other processes on a shared machine count less), and prints medians of 200 repetitions
 * after nine rounds of warm-up, with C2's vectorizer on and, for comparison, off
 * ({@code -XX:-UseSuperWord}).
 *
 * <pre>java tools/kernel-bench/OffsetIndex.java
 * java -XX:-UseSuperWord tools/kernel-bench/OffsetIndex.java</pre>
 */
public final class OffsetIndex {
    private static final int ROW = 16384;
    private static final int ROWS = 8;
    private static final int REPETITIONS = 200;
    private static final int ROUNDS = 10;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        float[] block = new float[ROWS * ROW];
        float[][] rows = new float[ROWS][ROW];
        float[] sums = new float[ROW];
        for (int i = 0; i < block.length; i++) {
            block[i] = (float) Math.sin(i);
            rows[i / ROW][i % ROW] = block[i];
        }
        // warm-up rounds: C2 compiles both loops during the first ones (later on a loaded machine)
        for (int round = 0; round < ROUNDS; round++) {
            double offset = median(() -> sumAtOffsets(block, sums));
            double perRow = median(() -> sumRows(rows, sums));
            if (round == ROUNDS - 1) {
                System.out.printf("sums over %d rows of %d floats, median of %d: one array at row offsets %.3f ms,"
                        + " an array per row %.3f ms%n", ROWS, ROW, REPETITIONS, offset, perRow);
            }
        }
    }

    private static void sumAtOffsets(float[] block, float[] sums) {
        Arrays.fill(sums, 0f);
        for (int start = 0; start < block.length; start += ROW) {
            for (int i = 0; i < ROW; i++) {
                sums[i] += block[start + i];
            }
        }
    }

    private static void sumRows(float[][] rows, float[] sums) {
        Arrays.fill(sums, 0f);
        for (float[] row : rows) {
            for (int i = 0; i < ROW; i++) {
                sums[i] += row[i];
            }
        }
    }

    private static double median(Runnable pass) {
        double[] millis = new double[REPETITIONS];
        for (int r = 0; r < REPETITIONS; r++) {
            long start = THREADS.getCurrentThreadCpuTime();
            pass.run();
            millis[r] = (THREADS.getCurrentThreadCpuTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return millis[REPETITIONS / 2];
    }
}
