package io.spikeforge.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.plugin.DuplicateComponentException;
import io.spikeforge.runner.plugin.PluginLocationException;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Entry point of the {@code spikeforge} command. */
@Command(name = "spikeforge",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Train spiking neural networks with the knowledge of ANNs: experiments in YAML, "
                + "components from plugins.",
        subcommands = {RunCommand.class, PluginsCommand.class, ValidateCommand.class, ConfigCommand.class,
                DataCommand.class, BenchCommand.class, MlflowCommand.class, InfoCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:internal error (run again with --verbose for the stack trace)",
            "2:invalid command line",
            "3:invalid experiment file or override",
            "4:plugin setup failed (missing plugins folder, two plugins claiming one id)",
            "5:MLflow tracking server unreachable or not answering in time; the spool keeps the records "
                    + "(mlflow sync; run, after it finished)",
            "6:MLflow server refused records, such as a param it has with another value (mlflow sync; run)",
            "7:run failed: missing data set or teacher weights, or an error during training (see the run folder's "
                    + "status file)",
            "8:runs in progress in another Spikeforge process were left to it; the rest was sent (mlflow sync)",
            "9:runs were sent to another MLflow server before and not to this one; --another-server sends a "
                    + "copy (mlflow sync)",
            "10:everything but artifact files reached the MLflow server, which does not take them; the spool "
                    + "keeps them (mlflow sync; run)",
            "11:the run finished but MLflow records could not be stored (full disk); mlflow log-artifacts adds "
                    + "them later (run)",
            "130:run interrupted by Ctrl-C (the run folder keeps what was written)"})
public final class SpikeforgeCli extends CommandGroup {
    @Option(names = "--plugins-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Folder of plugin jars (overrides SPIKEFORGE_PLUGINS and the distribution's plugins/).")
    Path pluginsDir;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "More log output: -v for INFO, -vv for DEBUG. Also prints stack traces of errors.")
    boolean[] verbosity = new boolean[0];


    /** Builds the command line with its exception handling; tests call this to run commands in-process. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SpikeforgeCli());
        cli.setExecutionStrategy(parseResult -> {
            configureLogging(parseResult.commandSpec().root().userObject());
            return new CommandLine.RunLast().execute(parseResult);
        });
        cli.setExecutionExceptionHandler(SpikeforgeCli::handleFailure);
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    private static void configureLogging(Object root) {
        int level = ((SpikeforgeCli) root).verbosity.length;
        if (level > 0 && LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext) {
            Logger rootLogger = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            rootLogger.setLevel(level == 1 ? Level.INFO : Level.DEBUG);
        }
    }

    private static int handleFailure(Exception e, CommandLine cli, CommandLine.ParseResult parseResult) {
        PrintWriter err = cli.getErr();
        boolean verbose = ((SpikeforgeCli) cli.getCommandSpec().root().userObject()).verbosity.length > 0;
        int code;
        if (e instanceof ConfigException) {
            err.println(e.getMessage());
            code = ExitCodes.INVALID_EXPERIMENT;
        } else if (e instanceof PluginLocationException || e instanceof DuplicateComponentException) {
            err.println("error: " + e.getMessage());
            code = ExitCodes.PLUGIN_ERROR;
        } else {
            err.println("error: " + e);
            code = ExitCodes.INTERNAL_ERROR;
        }
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }
}
