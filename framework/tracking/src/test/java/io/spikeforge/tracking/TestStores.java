package io.spikeforge.tracking;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Tracking options for tests: stores under a temporary folder, and fixed user, clock and ids. */
final class TestStores {
    static final long NOW = 1_700_000_000_000L;
    static final Clock FIXED_CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    private TestStores() {
    }

    /** Options writing to {@code dir/mlruns} (and {@code dir/mlruns-spool} once a server is set). */
    static TrackingOptions options(Path dir) {
        return TrackingOptions.resolve(true, Optional.empty(), TrackingOptions.DEFAULT_DELIVERY_TIMEOUT, Map.of(),
                dir);
    }

    /** {@link #options} with user alice, {@link #FIXED_CLOCK} and the given run ids, then experiments 1, 2... */
    static TrackingOptions fixed(Path dir, String... runIds) {
        return options(dir).withIdentity("alice", FIXED_CLOCK, ids(List.of(runIds)));
    }

    static IdSource ids(List<String> runIds) {
        Iterator<String> runs = runIds.iterator();
        AtomicInteger experiments = new AtomicInteger();
        return new IdSource() {
            @Override
            public synchronized String newRunId() {
                return runs.next();
            }

            @Override
            public String newExperimentId() {
                return Integer.toString(experiments.incrementAndGet());
            }
        };
    }
}
