package io.spikeforge.plugins.thresholds;

import java.util.Arrays;

/**
 * Exact percentiles of each group's activations without copying or sorting them: a selection by
 * buckets over the values' bit patterns. Doubles map to longs that order as the values do; each
 * pass over the activations counts, per group, the values in {@value #BUCKETS} equal ranges of the
 * bit patterns still in play, and keeps the range that holds the wanted rank. The range shrinks
 * {@value #BUCKETS}-fold per pass, so a group needs at most 8 passes (typically 2 or 3); once its
 * range holds at most {@value #COLLECT_LIMIT} values, one last pass collects and sorts them. Memory:
 * {@code 2 * }{@value #BUCKETS}{@code  longs and at most }{@value #COLLECT_LIMIT}{@code  doubles per group},
 * besides one chunk of the scan. The result is the same for any order of the values.
 */
final class OrderStatistics {
    static final int BUCKETS = 256;
    static final int COLLECT_LIMIT = 4096;

    private OrderStatistics() {
    }

    /**
     * The {@code p}-th percentile of each group's values, linearly interpolated between the two
     * nearest ranks as numpy's default ({@code h = (n - 1) * p / 100}, {@code x[floor(h)] + (h -
     * floor(h)) * (x[floor(h) + 1] - x[floor(h)])} of the sorted values {@code x}).
     *
     * @param p in (0, 100]
     * @param includeZeros whether all values count, or only the positive ones
     * @return per group; NaN for a group without values that count
     */
    static double[] percentiles(ActivationScan scan, double p, boolean includeZeros) {
        int groups = scan.groups();
        Selection[] selections = new Selection[groups];
        long[] counts = new long[groups];
        long[] lows = new long[groups];
        long[] highs = new long[groups];
        Arrays.fill(lows, Long.MAX_VALUE);
        Arrays.fill(highs, Long.MIN_VALUE);
        scan.forEach((group, values, from, to) -> {
            long count = 0;
            long low = lows[group];
            long high = highs[group];
            for (int i = from; i < to; i++) {
                double v = values[i];
                if (includeZeros || v > 0) {
                    long key = key(v);
                    low = Math.min(low, key);
                    high = Math.max(high, key);
                    count++;
                }
            }
            counts[group] += count;
            lows[group] = low;
            highs[group] = high;
        });
        double[] result = new double[groups];
        for (int g = 0; g < groups; g++) {
            if (counts[g] == 0) {
                result[g] = Double.NaN;
                continue;
            }
            double h = (counts[g] - 1) * (p / 100);
            long rank = Math.min((long) Math.floor(h), counts[g] - 1);
            selections[g] = new Selection(lows[g], highs[g], counts[g], rank, rank == counts[g] - 1 ? 0 : h - rank);
        }
        narrow(scan, selections, includeZeros);
        collect(scan, selections, includeZeros);
        for (int g = 0; g < groups; g++) {
            if (selections[g] != null) {
                result[g] = selections[g].interpolated();
            }
        }
        return result;
    }

    /** Passes of bucket counts until every group's range is small enough to collect. */
    private static void narrow(ActivationScan scan, Selection[] selections, boolean includeZeros) {
        while (Arrays.stream(selections).anyMatch(s -> s != null && s.needsNarrowing())) {
            long[][] bucketCounts = new long[selections.length][];
            long[][] bucketLows = new long[selections.length][];
            for (int g = 0; g < selections.length; g++) {
                if (selections[g] != null && selections[g].needsNarrowing()) {
                    bucketCounts[g] = new long[BUCKETS];
                    bucketLows[g] = new long[BUCKETS];
                    Arrays.fill(bucketLows[g], Long.MAX_VALUE);
                }
            }
            scan.forEach((group, values, from, to) -> {
                long[] groupCounts = bucketCounts[group];
                if (groupCounts == null) {
                    return;
                }
                long[] groupLows = bucketLows[group];
                Selection s = selections[group];
                for (int i = from; i < to; i++) {
                    double v = values[i];
                    if (includeZeros || v > 0) {
                        long key = key(v);
                        if (key >= s.low && key <= s.high) {
                            int bucket = s.bucket(key);
                            groupCounts[bucket]++;
                            groupLows[bucket] = Math.min(groupLows[bucket], key);
                        }
                    }
                }
            });
            for (int g = 0; g < selections.length; g++) {
                if (bucketCounts[g] != null) {
                    selections[g].keepBucketOfRank(bucketCounts[g], bucketLows[g]);
                }
            }
        }
    }

    /** One pass that gathers each group's remaining values, then sorts them. */
    private static void collect(ActivationScan scan, Selection[] selections, boolean includeZeros) {
        double[][] gathered = new double[selections.length][];
        int[] filled = new int[selections.length];
        boolean any = false;
        for (int g = 0; g < selections.length; g++) {
            if (selections[g] != null && selections[g].low != selections[g].high) {
                gathered[g] = new double[(int) selections[g].count];
                any = true;
            }
        }
        if (!any) {
            return;
        }
        scan.forEach((group, values, from, to) -> {
            double[] into = gathered[group];
            if (into == null) {
                return;
            }
            Selection s = selections[group];
            int n = filled[group];
            for (int i = from; i < to; i++) {
                double v = values[i];
                if (includeZeros || v > 0) {
                    long key = key(v);
                    if (key >= s.low && key <= s.high) {
                        into[n++] = v == 0 ? 0.0 : v;
                    }
                }
            }
            filled[group] = n;
        });
        for (int g = 0; g < selections.length; g++) {
            if (gathered[g] != null) {
                if (filled[g] != gathered[g].length) {
                    throw new IllegalStateException("the activations changed while their percentile was taken");
                }
                Arrays.sort(gathered[g]);
                selections[g].sorted = gathered[g];
            }
        }
    }

    /** A long that orders as the double does (-0.0 and 0.0 map to 0); NaN never reaches here. */
    static long key(double value) {
        long bits = Double.doubleToRawLongBits(value == 0 ? 0.0 : value);
        return bits < 0 ? bits ^ Long.MAX_VALUE : bits;
    }

    /** The double whose {@link #key} is {@code key}. */
    static double value(long key) {
        return Double.longBitsToDouble(key < 0 ? key ^ Long.MAX_VALUE : key);
    }

    /** What is known of one group's wanted rank: the key range holding it and its rank within the range. */
    private static final class Selection {
        long low;
        long high;
        long count;
        long rank;
        final double fraction;
        /** The smallest value above the range, where the next rank lies if the range ends at {@link #rank}. */
        double successor = Double.NaN;
        double[] sorted;

        Selection(long low, long high, long count, long rank, double fraction) {
            this.low = low;
            this.high = high;
            this.count = count;
            this.rank = rank;
            this.fraction = fraction;
        }

        boolean needsNarrowing() {
            return low != high && count > COLLECT_LIMIT;
        }

        /** The bucket width in keys; the span and widths are unsigned, as a range may straddle 0. */
        private long width() {
            return Long.divideUnsigned(high - low, BUCKETS) + 1;
        }

        int bucket(long key) {
            return (int) Long.divideUnsigned(key - low, width());
        }

        void keepBucketOfRank(long[] bucketCounts, long[] bucketLows) {
            long width = width();
            long before = 0;
            int b = 0;
            while (before + bucketCounts[b] <= rank) {
                before += bucketCounts[b];
                b++;
            }
            for (int next = b + 1; next < BUCKETS; next++) {
                if (bucketCounts[next] > 0) {
                    successor = value(bucketLows[next]);
                    break;
                }
            }
            long span = high - low;
            long start = b * width;
            long end = start + width - 1;
            long base = low;
            low = base + start;
            high = base + (Long.compareUnsigned(end, span) > 0 ? span : end);
            rank -= before;
            count = bucketCounts[b];
        }

        double interpolated() {
            double lower = sorted == null ? value(low) : sorted[(int) rank];
            if (fraction == 0) {
                return lower;
            }
            double upper;
            if (rank + 1 < count) {
                upper = sorted == null ? lower : sorted[(int) rank + 1];
            } else {
                upper = successor;
            }
            return lower + fraction * (upper - lower);
        }
    }
}
