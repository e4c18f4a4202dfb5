/**
 * MLflow tracking of runs: a run's params, metrics, tags, artifacts and end status. The module
 * ({@code spikeforge-tracking}) is usable on its own: it needs neither ND4J nor the rest of
 * Spikeforge, only {@code spikeforge-common}, SnakeYAML, SLF4J and {@code mlflow-client} (for
 * MLflow's REST messages; HTTP goes through {@code java.net.http}).
 *
 * <p>A program (Spikeforge's pipeline, through the runner's {@code TrackingRunListener}) opens a {@link io.spikeforge.tracking.RunTracker} with
 * {@link io.spikeforge.tracking.RunTrackers#open} and records each run through a
 * {@link io.spikeforge.tracking.TrackedRun}. Without a tracking server the records go to
 * {@code ./mlruns} in MLflow's own file-store layout; with one they are written to a local spool in
 * the same layout first and sent to the server by a background thread, so that a server that is
 * down or fails loses nothing: {@link io.spikeforge.tracking.SpoolSync} (the
 * {@code spikeforge mlflow sync} command) sends what the server has not confirmed. The end of a
 * run waits for the server at most the delivery timeout;
 * {@link io.spikeforge.tracking.RunTracker#finish()} and
 * {@link io.spikeforge.tracking.SyncReport#outcome()} say where the records stand, as a
 * {@link io.spikeforge.tracking.TrackingOutcome}.
 */
package io.spikeforge.tracking;
