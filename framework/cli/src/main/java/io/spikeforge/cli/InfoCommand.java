package io.spikeforge.cli;

import io.spikeforge.engine.NativeBackend;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code spikeforge info}: versions and the numerical backend this installation loads. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the Spikeforge and Java versions and the ND4J backend that loads (native library, oneDNN).")
final class InfoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("spikeforge     " + VersionProvider.version());
        out.println("java           " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")");
        out.println("cores          " + Runtime.getRuntime().availableProcessors());
        out.println("nd4j backend   " + NativeBackend.name());
        out.println("libnd4j        " + NativeBackend.libraryPath());
        out.println("oneDNN         " + (NativeBackend.hasOneDnn() ? "yes" : "no"));
        out.flush();
        return ExitCodes.OK;
    }
}
