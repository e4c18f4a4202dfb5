package io.spikeforge.cli;

/** Entry point of the {@code spikeforge} command. */
public final class SpikeforgeCli {
    private SpikeforgeCli() {
    }

    public static void main(String[] args) {
        System.exit(0);
    }
}
