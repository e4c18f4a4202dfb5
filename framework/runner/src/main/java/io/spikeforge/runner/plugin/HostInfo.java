package io.spikeforge.runner.plugin;

import java.util.Objects;

/**
 * Facts about the host that plugin extensions may inject ({@code @jakarta.inject.Inject}).
 *
 * @param spikeforgeVersion the Spikeforge version, as in {@link SpikeforgeVersion#current()}
 * @param nd4jBackend the ND4J backend on the host class path: {@code CPU}, {@code CUDA} or {@code none}
 */
public record HostInfo(String spikeforgeVersion, String nd4jBackend) {
    public HostInfo {
        Objects.requireNonNull(spikeforgeVersion, "spikeforgeVersion");
        Objects.requireNonNull(nd4jBackend, "nd4jBackend");
    }

    /**
     * Describes this process. The backend is recognised by which backend class the host class path
     * holds, without loading it: loading it would load ND4J's native libraries.
     */
    static HostInfo of(String spikeforgeVersion) {
        ClassLoader host = HostInfo.class.getClassLoader();
        String backend;
        if (host.getResource("org/nd4j/linalg/jcublas/JCublasBackend.class") != null) {
            backend = "CUDA";
        } else if (host.getResource("org/nd4j/linalg/cpu/nativecpu/CpuBackend.class") != null) {
            backend = "CPU";
        } else {
            backend = "none";
        }
        return new HostInfo(spikeforgeVersion, backend);
    }
}
