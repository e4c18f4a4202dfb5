package io.spikeforge.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.spikeforge.common.IoErrors;
import io.spikeforge.runner.config.ConfigException;
import io.spikeforge.runner.plugin.PluginSetupException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/** Entry point of the {@code spikeforge} command. */
@Command(name = "spikeforge",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Train spiking neural networks with the knowledge of ANNs: experiments in YAML, "
                + "components from plugins.",
        subcommands = {RunCommand.class, EvalCommand.class, SummaryCommand.class, SweepCommand.class, PluginsCommand.class, ValidateCommand.class, ConfigCommand.class,
                DataCommand.class, BenchCommand.class, MlflowCommand.class, InfoCommand.class, ReportCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:other failure: a file that cannot be read or written outside a run (the message names it and why), "
                    + "or an internal error (run again with --verbose for the stack trace)",
            "2:invalid command line",
            "3:invalid experiment file or override",
            "4:plugin setup failed (missing or unreadable plugins folder, two jars or plugins claiming one id, "
                    + "a skipped plugin in strict mode)",
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
    /** The folders of every {@code --plugins-dir}, before and after the subcommand, in order. */
    @Option(names = "--plugins-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "A folder of plugin jars to read besides the bundled plugins; repeatable. "
                    + "SPIKEFORGE_PLUGINS names more (separated by ':').")
    List<Path> pluginsDirs = new ArrayList<>();

    @Option(names = "--no-bundled-plugins", scope = ScopeType.INHERIT,
            description = "Read only the folders of --plugins-dir and SPIKEFORGE_PLUGINS, not the bundled plugins.")
    boolean noBundledPlugins;

    @Option(names = "--strict-plugins", scope = ScopeType.INHERIT,
            description = "Fail (exit 4) when a plugin jar cannot be used, instead of skipping it with a warning. "
                    + "SPIKEFORGE_STRICT_PLUGINS=true does the same.")
    boolean strictPlugins;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "More log output: -v for INFO, -vv for DEBUG. Also prints stack traces of errors.")
    boolean[] verbosity = new boolean[0];


    /** Builds the command line with its exception handling; tests call this to run commands in-process. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SpikeforgeCli());
        // `--plugins-dir plugins validate ...`: a folder named like a subcommand is the option's value
        cli.setAllowSubcommandsAsOptionParameters(true);
        cli.setExecutionStrategy(parseResult -> {
            SpikeforgeCli root = (SpikeforgeCli) parseResult.commandSpec().root().userObject();
            root.pluginsDirs = pluginsDirs(parseResult);
            configureLogging(root);
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (LinkageError e) {
                // picocli hands only Exceptions to handleFailure; this one comes from code built
                // against other versions than those loaded, which is a plugin's as a rule
                root.printError(parseResult.commandSpec().commandLine().getErr(), e + " (a plugin built against"
                        + " other versions of Spikeforge's API or of a library than those it runs with)", e);
                return ExitCodes.PLUGIN_ERROR;
            }
        });
        cli.setExecutionExceptionHandler(SpikeforgeCli::handleFailure);
        cli.setParameterExceptionHandler(SpikeforgeCli::handleUsageError);
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * Every {@code --plugins-dir} of the command line. Picocli resets the shared list of an inherited
     * option when the subcommand repeats it, so the folders are taken from each command's parse result.
     */
    private static List<Path> pluginsDirs(CommandLine.ParseResult parseResult) {
        List<Path> directories = new ArrayList<>();
        for (CommandLine.ParseResult level = parseResult; level != null; level = level.subcommand()) {
            CommandLine.Model.OptionSpec option = level.matchedOption("--plugins-dir");
            if (option != null) {
                option.originalStringValues().forEach(value -> directories.add(Path.of(value)));
            }
        }
        return directories;
    }

    private static void configureLogging(SpikeforgeCli root) {
        int level = root.verbosity.length;
        if (level > 0 && LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext) {
            Logger rootLogger = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            rootLogger.setLevel(level == 1 ? Level.INFO : Level.DEBUG);
            // logback.xml silences PF4J, whose messages repeat the plugin warnings; verbose shows them
            ((Logger) LoggerFactory.getLogger("org.pf4j")).setLevel(null);
        }
    }

    /** Whether -v was given: errors come with their stack traces. */
    boolean verbose() {
        return verbosity.length > 0;
    }

    /**
     * Prints an error as every command does: {@code error: message}, and with -v the stack trace of
     * what caused it.
     */
    void printError(PrintWriter err, String message, Throwable failure) {
        err.println("error: " + message);
        if (verbose() && failure != null) {
            failure.printStackTrace(err);
        }
        err.flush();
    }

    /**
     * A wrong command line: the message, picocli's suggestions for a mistyped word, and where the
     * usage is, instead of the whole usage text, which buried the one line that says what is wrong.
     */
    private static int handleUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        SpikeforgeCli root = (SpikeforgeCli) cli.getCommandSpec().root().userObject();
        root.printError(err, e.getMessage(), e.getCause());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run '" + cli.getCommandSpec().qualifiedName() + " --help' for its usage.");
        err.flush();
        return ExitCodes.USAGE;
    }

    private static int handleFailure(Exception e, CommandLine cli, CommandLine.ParseResult parseResult) {
        PrintWriter err = cli.getErr();
        SpikeforgeCli root = (SpikeforgeCli) cli.getCommandSpec().root().userObject();
        if (e instanceof ConfigException) {
            err.println(e.getMessage());
            if (root.verbose()) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.INVALID_EXPERIMENT;
        }
        if (e instanceof PluginSetupException) {
            root.printError(err, e.getMessage(), e);
            return ExitCodes.PLUGIN_ERROR;
        }
        // the causes too: an I/O failure's reason ("Read-only file system") is often only there
        root.printError(err, IoErrors.withCauses(e), e);
        return ExitCodes.INTERNAL_ERROR;
    }
}
