import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Why Spikeforge's fused kernels copy pieces of ND4J's off-heap memory into heap arrays
 * (docs/engine.md, "Fused float kernels"): times {@code y = a * x + b} over 512K floats three ways,
 * on one thread, and prints the median of 200 repetitions after a warm-up:
 * a loop over direct {@code FloatBuffer}s (what a kernel over ND4J's NIO view does), a loop over
 * heap arrays, and bulk copies of 2048-float chunks into a heap array, the loop there, and a bulk
 * copy back (what the kernels do).
 *
 * <pre>java tools/kernel-bench/NioVsHeap.java</pre>
 */
public final class NioVsHeap {
    private static final int LENGTH = 512 * 1024;
    private static final int CHUNK = 2048;
    private static final int REPETITIONS = 200;

    public static void main(String[] args) {
        FloatBuffer x = direct(LENGTH);
        FloatBuffer y = direct(LENGTH);
        float[] xs = new float[LENGTH];
        float[] ys = new float[LENGTH];
        float[] chunk = new float[CHUNK];
        for (int i = 0; i < LENGTH; i++) {
            xs[i] = (float) Math.sin(i);
            x.put(i, xs[i]);
        }
        for (int round = 0; round < 2; round++) {
            double buffers = median(() -> affine(x, y));
            double arrays = median(() -> affine(xs, ys));
            double chunks = median(() -> affineInChunks(x, y, chunk));
            if (round == 1) {
                System.out.printf("y = a*x + b over %d floats, median of %d: NIO buffers %.3f ms, heap arrays %.3f ms,"
                        + " bulk-copied chunks %.3f ms%n", LENGTH, REPETITIONS, buffers, arrays, chunks);
            }
        }
    }

    private static void affine(FloatBuffer x, FloatBuffer y) {
        for (int i = 0; i < LENGTH; i++) {
            y.put(i, x.get(i) * 1.5f + 2f);
        }
    }

    private static void affine(float[] x, float[] y) {
        for (int i = 0; i < LENGTH; i++) {
            y[i] = x[i] * 1.5f + 2f;
        }
    }

    private static void affineInChunks(FloatBuffer x, FloatBuffer y, float[] chunk) {
        for (int start = 0; start < LENGTH; start += CHUNK) {
            int length = Math.min(CHUNK, LENGTH - start);
            x.get(start, chunk, 0, length);
            for (int i = 0; i < length; i++) {
                chunk[i] = chunk[i] * 1.5f + 2f;
            }
            y.put(start, chunk, 0, length);
        }
    }

    private static double median(Runnable pass) {
        double[] millis = new double[REPETITIONS];
        for (int r = 0; r < REPETITIONS; r++) {
            long start = System.nanoTime();
            pass.run();
            millis[r] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return millis[REPETITIONS / 2];
    }

    private static FloatBuffer direct(int length) {
        return ByteBuffer.allocateDirect(Float.BYTES * length).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
