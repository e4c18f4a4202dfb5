package io.spikeforge.tracking;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Makes new MLflow ids; tests pass fixed ones. */
public interface IdSource {
    /** A new run id: 32 lowercase hexadecimal characters, as MLflow's uuid4().hex. */
    String newRunId();

    /** A new experiment id: a positive decimal integer, as MLflow's file store makes them. */
    String newExperimentId();

    /** Random ids. */
    static IdSource random() {
        SecureRandom random = new SecureRandom();
        return new IdSource() {
            @Override
            public String newRunId() {
                byte[] bytes = new byte[16];
                random.nextBytes(bytes);
                return HexFormat.of().formatHex(bytes);
            }

            @Override
            public String newExperimentId() {
                return Long.toString(1 + random.nextLong(Long.MAX_VALUE - 1));
            }
        };
    }
}
