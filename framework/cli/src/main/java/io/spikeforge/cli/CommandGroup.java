package io.spikeforge.cli;

import picocli.CommandLine;

/** A command that only groups subcommands: run without one, it names the choices and exits with a usage error. */
abstract class CommandGroup implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
