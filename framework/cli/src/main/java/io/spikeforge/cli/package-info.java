/**
 * The {@code spikeforge} command line: picocli commands over the runner, with exit codes that
 * mean something ({@link io.spikeforge.cli.ExitCodes}).
 */
package io.spikeforge.cli;
