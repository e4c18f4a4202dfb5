package io.spikeforge.engine.layer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.factory.Nd4j;

/** PyTorch's default initialization of convolution and linear layers. */
final class Initialization {
    private Initialization() {
    }

    /**
     * Fills {@code target} from U(-1/sqrt(fanIn), 1/sqrt(fanIn)), which is what PyTorch's default
     * (kaiming_uniform with a = sqrt(5) for weights, the same bound for biases) amounts to. Draws
     * from ND4J's global generator, so {@code Nd4j.getRandom().setSeed} makes it reproducible.
     */
    static void uniformFanIn(INDArray target, long fanIn) {
        double bound = 1.0 / Math.sqrt(fanIn);
        Nd4j.getExecutioner().exec(new UniformDistribution(target, -bound, bound), Nd4j.getRandom());
    }
}
