package io.spikeforge.api;

import java.util.Objects;

/**
 * Facts about the host process that plugin extensions may inject through an
 * {@code @jakarta.inject.Inject} constructor.
 *
 * @param spikeforgeVersion the Spikeforge version of the host
 * @param nd4jBackend the ND4J backend on the host class path: {@code CPU}, {@code CUDA} or {@code none}
 */
public record HostInfo(String spikeforgeVersion, String nd4jBackend) {
    public HostInfo {
        Objects.requireNonNull(spikeforgeVersion, "spikeforgeVersion");
        Objects.requireNonNull(nd4jBackend, "nd4jBackend");
    }
}
