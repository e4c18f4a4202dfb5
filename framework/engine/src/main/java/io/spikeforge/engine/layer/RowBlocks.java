package io.spikeforge.engine.layer;

import java.util.Arrays;

/**
 * The blocked arithmetic of the float batch-norm kernels' training statistics, shared by
 * {@link FloatBatchNormKernel} (NCHW) and {@link ChannelsLastFloatBatchNormKernel} (NHWC) so that
 * both layouts give the same bits.
 *
 * <p>The N sample rows are split into blocks of {@link #rows()} rows, a function of the shape
 * alone (never of the thread count), chosen so that a block of the NHWC tensor stays in a core's L2
 * cache: a kernel reads a block from memory once, sums it, and reads it again from the cache for
 * its centered squares. Per block and channel: float sums per position over the block's rows, in
 * row order ({@link #sumPositions}), give a first mean of the block; a second pass sums, the same
 * way, {@code d = x - centre} and {@code d^2}, with the centre that mean rounded to float, and gives
 * the block's mean and sum of squared deviations ({@link #refine}).
 * The blocks are combined in double, in block order, with the parallel formula of Chan, Golub and
 * LeVeque ({@link #combine}), which keeps the variance exact to rounding however far the values lie
 * from zero (unlike {@code E[x^2] - E[x]^2}).
 *
 * @param samples N, the rows
 * @param spatial S = H*W, the positions of a row
 * @param channels C
 */
record RowBlocks(int samples, int spatial, int channels) {
    /**
     * Floats of an NHWC block (1 MB): half of this machine's 2 MB L2, with room for the per-position
     * sums. Smaller blocks measured slower: each block adds three passes over a row of per-position
     * sums.
     */
    private static final int BLOCK_FLOATS = 1 << 18;
    /** Interleaved double accumulators of {@link #sumPositions}: enough to hide the add latency. */
    static final int LANES = 8;

    /** Rows per block (the last block may have fewer): at least 1, at most N. */
    int rows() {
        return Math.max(1, Math.min(samples, BLOCK_FLOATS / (spatial * channels)));
    }

    /** Number of blocks. */
    int count() {
        return (samples + rows() - 1) / rows();
    }

    int firstRow(int block) {
        return block * rows();
    }

    /** Rows in block {@code block}. */
    int rowsOf(int block) {
        return Math.min(rows(), samples - firstRow(block));
    }

    /**
     * Per channel, the double sum of the float per-position sums {@code columns[s * channels + c]}
     * of S positions: position s goes to lane {@code s % LANES}, each lane adds in position order,
     * and the lanes are added in lane order (independent accumulators: a single one would wait on
     * each add's latency, and this runs once per block). Writes channel c's sum to
     * {@code sums[at + c]}.
     *
     * @param lanes scratch of at least {@code LANES * channels} doubles
     */
    static void sumPositions(float[] columns, int spatial, int channels, double[] lanes, double[] sums, int at) {
        Arrays.fill(lanes, 0, LANES * channels, 0.0);
        if (channels == 1) {
            // the same lanes as below, in locals: the NCHW kernel sums one channel at a time
            double l0 = 0;
            double l1 = 0;
            double l2 = 0;
            double l3 = 0;
            double l4 = 0;
            double l5 = 0;
            double l6 = 0;
            double l7 = 0;
            int s = 0;
            for (; s + LANES <= spatial; s += LANES) {
                l0 += columns[s];
                l1 += columns[s + 1];
                l2 += columns[s + 2];
                l3 += columns[s + 3];
                l4 += columns[s + 4];
                l5 += columns[s + 5];
                l6 += columns[s + 6];
                l7 += columns[s + 7];
            }
            lanes[0] = l0;
            lanes[1] = l1;
            lanes[2] = l2;
            lanes[3] = l3;
            lanes[4] = l4;
            lanes[5] = l5;
            lanes[6] = l6;
            lanes[7] = l7;
            for (; s < spatial; s++) {
                lanes[s % LANES] += columns[s];
            }
        } else {
            // LANES positions at a time, lanes and channels in one loop over contiguous values (which
            // the JIT vectorizes; a loop over the few channels alone is too short to)
            int group = LANES * channels;
            int s = 0;
            for (; s + LANES <= spatial; s += LANES) {
                int start = s * channels;
                for (int j = 0; j < group; j++) {
                    lanes[j] += columns[start + j];
                }
            }
            for (; s < spatial; s++) {
                int lane = (s % LANES) * channels;
                int position = s * channels;
                for (int c = 0; c < channels; c++) {
                    lanes[lane + c] += columns[position + c];
                }
            }
        }
        for (int c = 0; c < channels; c++) {
            double total = 0;
            for (int lane = 0; lane < LANES; lane++) {
                total += lanes[lane * channels + c];
            }
            sums[at + c] = total;
        }
    }

    /**
     * A block's mean and sum of squared deviations from it, from the sums of deviations
     * {@code deviations[at]} and of their squares {@code squares[at]} from the float {@code centre}
     * the kernel subtracted, in place: {@code mean = centre + D / n}, {@code M2 = Q - D^2 / n} (the
     * corrected two-pass formula). The centre, a float rounding of the block's first-pass mean, is
     * off by as much as that sum's float rounding; the correction removes that error from both.
     */
    static void refine(double[] deviations, double[] squares, int at, long values, float centre) {
        double sum = deviations[at];
        deviations[at] = centre + sum / values;
        squares[at] -= sum * sum / values;
    }

    /**
     * Chan et al.'s parallel combination, in block order, of the blocks' means and squared
     * deviations of one channel, {@code blockMeans[block * stride + at]} (likewise
     * {@code blockSquares}), into the batch mean and biased variance: {@code mean[into]},
     * {@code variance[into]}.
     */
    void combine(double[] blockMeans, double[] blockSquares, int at, int stride, double[] mean, double[] variance,
            int into) {
        double values = 0;
        double runningMean = 0;
        double squares = 0;
        for (int block = 0, blocks = count(); block < blocks; block++) {
            double blockValues = (double) rowsOf(block) * spatial;
            double total = values + blockValues;
            double delta = blockMeans[block * stride + at] - runningMean;
            runningMean += delta * (blockValues / total);
            squares += blockSquares[block * stride + at] + delta * delta * (values * blockValues / total);
            values = total;
        }
        mean[into] = runningMean;
        variance[into] = squares / values;
    }
}
