package io.spikeforge.tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Tallies of one run's replication, turned into a {@link SyncReport.RunSync} at the end. */
final class SyncCounts {
    final String spoolRunId;
    final String runName;
    String serverRunId;
    boolean runCreated;
    int params;
    int tags;
    int metricPoints;
    int artifacts;
    int artifactsNotSent;
    /** Why artifacts were not sent, when they were not. */
    String artifactProblem;
    /** The spool run a {@link SyncReport.State#WAITING_FOR_PARENT} run waits for. */
    String waitingFor;
    RunStatus status;
    int paramsAlreadyThere;
    int metricPointsAlreadyThere;
    final List<String> conflicts = new ArrayList<>();

    SyncCounts(String spoolRunId, String runName) {
        this.spoolRunId = spoolRunId;
        this.runName = runName;
    }

    SyncReport.RunSync result(SyncReport.State state, Optional<String> problem) {
        return new SyncReport.RunSync(spoolRunId, runName, Optional.ofNullable(serverRunId), state, runCreated,
                params, tags, metricPoints, artifacts, artifactsNotSent, Optional.ofNullable(status), paramsAlreadyThere,
                metricPointsAlreadyThere, conflicts, problem);
    }
}
