package io.spikeforge.cli;

import io.spikeforge.common.IoErrors;
import io.spikeforge.runner.pipeline.TrackingRunListener;
import io.spikeforge.tracking.RunIdsFile;
import io.spikeforge.tracking.RunTrackers;
import io.spikeforge.tracking.ServerConnection;
import io.spikeforge.tracking.SpoolSync;
import io.spikeforge.tracking.SyncReport;
import io.spikeforge.tracking.TrackingOptions;
import io.spikeforge.tracking.TrackingOutcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code spikeforge mlflow}: MLflow tracking chores. */
@Command(name = "mlflow", mixinStandardHelpOptions = true,
        description = "MLflow tracking: send runs kept in the spool to the tracking server; add artifacts a run "
                + "could not store.",
        subcommands = {MlflowCommand.SyncCommand.class, MlflowCommand.LogArtifactsCommand.class})
final class MlflowCommand extends CommandGroup {

    /** {@code spikeforge mlflow log-artifacts}: the run folder's files its MLflow run lacks. */
    @Command(name = "log-artifacts", mixinStandardHelpOptions = true,
            description = {"Add to the MLflow run of a run folder the files it lacks (config, metrics, plots, weights, "
                    + "final checkpoints): those that could not be stored when the run ended, on a full disk say. "
                    + "The run is the last one the folder's " + RunIdsFile.FILE_NAME + " lists, in its local store "
                    + "or spool; a spooled run's files then go to the server with `spikeforge mlflow sync`.",
                "Exits 0 when the MLflow run has them all, 11 when they could not be stored."})
    static final class LogArtifactsCommand implements Callable<Integer> {
        @CommandLine.Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run folder.")
        Path runFolder;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            List<RunIdsFile.Entry> runs = RunIdsFile.read(runFolder);
            if (runs.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), runFolder + " has no "
                        + RunIdsFile.FILE_NAME + ": it is not a run folder, or its runs were not tracked");
            }
            RunIdsFile.Entry run = runs.get(runs.size() - 1);
            PrintWriter out = spec.commandLine().getOut();
            List<String> added;
            try {
                added = RunTrackers.addArtifacts(run, TrackingRunListener.artifactFiles(runFolder));
            } catch (IOException e) {
                PrintWriter err = spec.commandLine().getErr();
                ((SpikeforgeCli) spec.root().userObject()).printError(err, "cannot add the artifacts of " + runFolder + " to MLflow run " + run.runId()
                        + ": " + IoErrors.message(e), e);
                return ExitCodes.TRACKING_STORE_INCOMPLETE;
            }
            Path store = run.store().orElseThrow();
            out.println(added.isEmpty() ? "MLflow run " + run.runId() + " in " + store + " has every file already."
                    : "Added " + added.size() + " artifact(s) to MLflow run " + run.runId() + " in " + store + ": "
                            + String.join(", ", added));
            if (run.server().isPresent() && !added.isEmpty()) {
                out.println("Send them to the server with: spikeforge mlflow sync --spool " + store + " --uri "
                        + run.server().get());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code spikeforge mlflow sync}: replays a spool to a tracking server. */
    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = {"Send the runs kept in the spool to the MLflow tracking server: what the server did not "
                    + "confirm while they ran (it was down, or failed). The server is asked what it has first, so "
                    + "nothing arrives twice; running it again sends nothing.",
                "Exits 0 when the server has everything, 5 when it cannot be reached or does not answer, 6 when it "
                    + "refused records (a param with another value), 8 when runs in progress were left to their "
                    + "process, 9 when runs went to another server before, 10 when it does not take the artifacts; "
                    + "the most serious when several apply."})
    static final class SyncCommand implements Callable<Integer> {
        @Option(names = "--spool", paramLabel = "DIR",
                description = "The spool folder (default: ./" + TrackingOptions.SPOOL + ").")
        Path spool = Path.of(TrackingOptions.SPOOL);

        @Option(names = "--uri", paramLabel = "URI",
                description = "The tracking server, http(s)://host:port (default: $"
                        + TrackingOptions.TRACKING_URI_VARIABLE + ").")
        URI uri;

        @Option(names = "--another-server",
                description = "Send runs that went to another server before to this one too: each server gets "
                        + "its own copy. Without it, such runs are left alone (exit 9). The same server under "
                        + "another name (localhost for 127.0.0.1) is recognized without it.")
        boolean anotherServer;

        @Option(names = "--artifacts-through-proxy",
                description = "Upload the artifacts of runs whose artifact location is not behind the server's "
                        + "proxy (an s3:// or path root) through the proxy all the same: right when the server's "
                        + "--artifacts-destination is its --default-artifact-root. The server's listing of the "
                        + "run's artifacts must show the first file, or nothing more is sent.")
        boolean artifactsThroughProxy;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            ServerConnection server = server(System.getenv());
            PrintWriter out = spec.commandLine().getOut();
            if (!Files.isDirectory(spool)) {
                out.println("No spool at " + spool.toAbsolutePath() + ": nothing to sync.");
                out.flush();
                return ExitCodes.OK;
            }
            out.println("Syncing " + spool + " to " + server.name());
            SyncReport report = SpoolSync.sync(spool, server,
                    new SpoolSync.Options(anotherServer, artifactsThroughProxy));
            report.runs().forEach(run -> out.println(describe(run)));
            out.println(summary(report));
            out.flush();
            TrackingOutcome outcome = report.outcome();
            if (outcome != TrackingOutcome.DELIVERED) {
                PrintWriter err = spec.commandLine().getErr();
                err.println(explain(outcome, report));
                err.flush();
            }
            return ExitCodes.of(outcome);
        }

        /** What the outcome means and what to do, for standard error. */
        private static String explain(TrackingOutcome outcome, SyncReport report) {
            return switch (outcome) {
                case UNREACHABLE -> "error: " + report.unreachable().orElse("the server did not answer")
                        + "\nThe records stay in the spool; run this command again when the server answers.";
                case REFUSED -> "error: the server refused records of " + count(report, TrackingOutcome.REFUSED)
                        + " run(s), listed above; they stay in the spool. A conflicting param cannot be sent: the "
                        + "server keeps its value.";
                case OTHER_SERVER -> "error: " + count(report, TrackingOutcome.OTHER_SERVER) + " run(s) went to "
                        + "another MLflow server before, which " + report.server() + " is not (it does not have "
                        + "their runs): they were not sent. To send a copy here as well, add --another-server.";
                case ARTIFACTS_NOT_SENT -> "error: " + report.runs().stream()
                        .mapToInt(SyncReport.RunSync::artifactsNotSent).sum() + " artifact file(s) of "
                        + count(report, TrackingOutcome.ARTIFACTS_NOT_SENT) + " run(s) were not sent, as said above;"
                        + " everything else was. They stay in the spool.";
                case IN_PROGRESS -> "note: " + report.runs().stream()
                        .filter(run -> run.state() == SyncReport.State.IN_USE).count() + " run(s) are open in a "
                        + "running Spikeforge process, which sends them itself; everything else was sent. Run this "
                        + "command again after that process ends, if it could not send them.";
                case DELIVERED, STORE_INCOMPLETE -> "";
            };
        }

        private static long count(SyncReport report, TrackingOutcome outcome) {
            return report.runs().stream().filter(run -> run.outcome() == outcome).count();
        }

        private ServerConnection server(Map<String, String> environment) {
            String value = uri != null ? uri.toString() : environment.get(TrackingOptions.TRACKING_URI_VARIABLE);
            if (value == null || value.isBlank()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Which server? Give --uri or set "
                        + TrackingOptions.TRACKING_URI_VARIABLE + ".");
            }
            try {
                return ServerConnection.of(URI.create(value.strip()), environment);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e, null, value);
            }
        }

        private static String describe(SyncReport.RunSync run) {
            StringBuilder line = new StringBuilder("  ").append(run.runName()).append(" (").append(run.spoolRunId());
            run.serverRunId().ifPresent(id -> line.append(" -> ").append(id));
            line.append("): ");
            List<String> sent = sent(run.runCreated() ? 1 : 0, run.params(), run.tags(), run.metricPoints(),
                    run.artifacts());
            run.status().ifPresent(status -> sent.add("status " + status.mlflowName()));
            line.append(sent.isEmpty() ? "nothing new" : "sent " + String.join(", ", sent));
            if (run.paramsAlreadyThere() + run.metricPointsAlreadyThere() > 0) {
                line.append("; already on the server: ").append(run.paramsAlreadyThere()).append(" param(s), ")
                        .append(run.metricPointsAlreadyThere()).append(" metric point(s)");
            }
            if (run.state() == SyncReport.State.NO_END_STATUS) {
                line.append(" (no end status: still running, or its process was killed)");
            } else if (run.state() == SyncReport.State.ARTIFACTS_NOT_SENT) {
                line.append("; ").append(run.artifactsNotSent()).append(" artifact(s) not sent: ")
                        .append(run.problem().orElse(""));
            } else if (run.state() != SyncReport.State.COMPLETE) {
                line.append(" [").append(run.state().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                        .append(run.problem().map(problem -> ": " + problem).orElse("")).append(']');
            }
            run.conflicts().forEach(conflict -> line.append("\n    conflict, not sent: ").append(conflict));
            return line.toString();
        }

        private static String summary(SyncReport report) {
            int created = 0;
            int params = 0;
            int tags = 0;
            int points = 0;
            int artifacts = 0;
            for (SyncReport.RunSync run : report.runs()) {
                created += run.runCreated() ? 1 : 0;
                params += run.params();
                tags += run.tags();
                points += run.metricPoints();
                artifacts += run.artifacts();
            }
            List<String> sent = sent(created, params, tags, points, artifacts);
            return report.runs().size() + " run(s) in the spool; "
                    + (sent.isEmpty() ? "nothing to send." : "sent " + String.join(", ", sent) + ".");
        }

        private static List<String> sent(int runs, int params, int tags, int points, int artifacts) {
            List<String> parts = new ArrayList<>();
            addCount(parts, runs, "new run(s)");
            addCount(parts, params, "param(s)");
            addCount(parts, tags, "tag(s)");
            addCount(parts, points, "metric point(s)");
            addCount(parts, artifacts, "artifact(s)");
            return parts;
        }

        private static void addCount(List<String> parts, int count, String what) {
            if (count > 0) {
                parts.add(count + " " + what);
            }
        }
    }
}
