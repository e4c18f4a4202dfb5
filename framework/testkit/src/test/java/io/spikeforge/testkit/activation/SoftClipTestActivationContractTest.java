package io.spikeforge.testkit.activation;

import io.spikeforge.api.activation.AnnActivation;
import org.nd4j.linalg.api.buffer.DataType;

/** The test kit's own smooth activation passes the contract with the default gradient reference. */
class SoftClipTestActivationContractTest extends AnnActivationContract {
    @Override
    protected AnnActivation createActivation(int channels, DataType dataType) {
        return new SoftClipTestActivation(channels, 1.5, dataType);
    }
}
