package io.spikeforge.cli;

import io.spikeforge.runner.tracking.ServerConnection;
import io.spikeforge.runner.tracking.SpoolSync;
import io.spikeforge.runner.tracking.SyncReport;
import io.spikeforge.runner.tracking.TrackingOptions;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spikeforge mlflow}: MLflow tracking chores. */
@Command(name = "mlflow", mixinStandardHelpOptions = true,
        description = "MLflow tracking: send runs kept in the spool to the tracking server.",
        subcommands = MlflowCommand.SyncCommand.class)
final class MlflowCommand extends CommandGroup {

    /** {@code spikeforge mlflow sync}: replays a spool to a tracking server. */
    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = {"Send the runs kept in the spool to the MLflow tracking server: what the server did not "
                    + "confirm while they ran (it was down, or failed). The server is asked what it has first, so "
                    + "nothing arrives twice; running it again sends nothing.",
                "Exits 5 when the server cannot be reached, 6 when it refused records (a param with another value)."})
    static final class SyncCommand implements Callable<Integer> {
        @Option(names = "--spool", paramLabel = "DIR",
                description = "The spool folder (default: ./" + TrackingOptions.SPOOL + ").")
        Path spool = Path.of(TrackingOptions.SPOOL);

        @Option(names = "--uri", paramLabel = "URI",
                description = "The tracking server, http(s)://host:port (default: $"
                        + TrackingOptions.TRACKING_URI_VARIABLE + ").")
        URI uri;

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
            SyncReport report = SpoolSync.sync(spool, server);
            report.runs().forEach(run -> out.println(describe(run)));
            out.println(summary(report));
            out.flush();
            if (report.unreachable().isPresent()) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("error: " + report.unreachable().get());
                err.println("The records stay in the spool; run this command again when the server is up.");
                err.flush();
                return ExitCodes.TRACKING_SERVER_UNREACHABLE;
            }
            return report.complete() ? ExitCodes.OK : ExitCodes.SYNC_INCOMPLETE;
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
            run.status().ifPresent(status -> sent.add("status " + status));
            line.append(sent.isEmpty() ? "nothing new" : "sent " + String.join(", ", sent));
            if (run.paramsAlreadyThere() + run.metricPointsAlreadyThere() > 0) {
                line.append("; already on the server: ").append(run.paramsAlreadyThere()).append(" param(s), ")
                        .append(run.metricPointsAlreadyThere()).append(" metric point(s)");
            }
            if (run.state() == SyncReport.State.NO_END_STATUS) {
                line.append(" (no end status: still running, or its process was killed)");
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
