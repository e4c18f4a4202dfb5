package io.spikeforge.plugins.thresholds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.convert.ThresholdGranularity;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The order-preserving keys and selection over values of both signs. */
class OrderStatisticsTest {
    @Test
    void keysOrderAsTheValuesDo() {
        double[] ascending = {-Double.MAX_VALUE, -1e300, -2.0, -1.0, -Double.MIN_NORMAL, -Double.MIN_VALUE, 0.0,
                Double.MIN_VALUE, Double.MIN_NORMAL, 0.5, 1.0, 1.0000000000000002, 3e10, Double.MAX_VALUE};
        for (int i = 0; i + 1 < ascending.length; i++) {
            assertTrue(OrderStatistics.key(ascending[i]) < OrderStatistics.key(ascending[i + 1]),
                    ascending[i] + " < " + ascending[i + 1]);
        }
        for (double v : ascending) {
            assertEquals(v, OrderStatistics.value(OrderStatistics.key(v)), 0.0);
        }
        assertEquals(OrderStatistics.key(0.0), OrderStatistics.key(-0.0), "-0.0 and 0.0 are one value");
    }

    /** With zeros included every value counts, negative ones too; ranges then straddle zero. */
    @Test
    void selectsAmongValuesOfBothSigns() {
        Random random = new Random(17);
        double[] values = new double[50_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble() < 0.01 ? -1e200 * random.nextDouble() : random.nextGaussian() * 1e-3;
        }
        values[123] = Double.MAX_VALUE;
        ActivationScan scan = new ActivationScan(MaxThresholdTest.layer(Nd4j.create(values, new long[] {values.length, 1},
                DataType.DOUBLE), ThresholdGranularity.LAYER));
        for (double p : new double[] {0.5, 1, 1.5, 50, 99.9, 99.999, 100}) {
            assertEquals(PercentileThresholdTest.sorted(values, p, true), OrderStatistics.percentiles(scan, p, true)[0], 0.0,
                    "p = " + p);
        }
    }

    @Test
    void aGroupWithoutPositiveValuesHasNoPercentile() {
        ActivationScan scan = new ActivationScan(MaxThresholdTest.layer(Nd4j.zeros(DataType.DOUBLE, 4, 2),
                ThresholdGranularity.CHANNEL));
        double[] result = OrderStatistics.percentiles(scan, 99.9, false);
        assertTrue(Double.isNaN(result[0]) && Double.isNaN(result[1]));
        assertEquals(0.0, OrderStatistics.percentiles(scan, 99.9, true)[1], 0.0);
    }
}
