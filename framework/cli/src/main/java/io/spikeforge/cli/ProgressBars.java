package io.spikeforge.cli;

import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on standard error, as every long-running command shows them. */
final class ProgressBars {
    /** Seconds between lines when standard error is not a terminal. */
    private static final int LOG_INTERVAL_MILLIS = 5_000;
    private static final int LOG_LINE_WIDTH = 120;

    private ProgressBars() {
    }

    /**
     * A bar redrawn in place on a terminal; elsewhere (logs, pipes) plain ASCII lines every few
     * seconds, written to {@code err}.
     *
     * @param unit such as {@code " images"}, shown with the rate
     */
    static ProgressBar create(String task, long total, String unit, PrintWriter err) {
        return create(task, total, unit, ChronoUnit.SECONDS, err);
    }

    /**
     * As {@link #create(String, long, String, PrintWriter)}, with the rate per {@code speedUnit}: work
     * counted in minutes per item (a sweep's arms) would otherwise show ".0 arms/s".
     */
    static ProgressBar create(String task, long total, String unit, ChronoUnit speedUnit, PrintWriter err) {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setUnit(unit, 1).showSpeed().setSpeedUnit(speedUnit);
        if (System.console() == null) {
            builder.setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(LOG_INTERVAL_MILLIS)
                    .setConsumer(new DelegatingProgressBarConsumer(line -> {
                        err.println(line);
                        err.flush();
                    }, LOG_LINE_WIDTH));
        }
        return builder.build();
    }
}
