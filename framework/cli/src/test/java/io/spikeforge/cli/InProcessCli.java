package io.spikeforge.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The command line run in this process as a user would type it, its output and errors kept for the checks. */
final class InProcessCli {
    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    /** Runs a command and returns its exit code; what it prints replaces what the last command printed. */
    int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = SpikeforgeCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    /** What the last command printed to standard output. */
    String out() {
        return out.toString();
    }

    /** What the last command printed to standard error. */
    String err() {
        return err.toString();
    }

    /** Both, for a failed check's message. */
    String output() {
        return "--- stdout\n" + out + "--- stderr\n" + err;
    }
}
