package io.spikeforge.testkit.init;

import io.spikeforge.api.init.InitializationReport;
import io.spikeforge.api.init.InitializationStrategy;
import io.spikeforge.api.init.TensorTransfer;
import io.spikeforge.api.model.ModelStructure;
import io.spikeforge.api.model.StateDict;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The simplest correct strategy: copies every student tensor whose name and shape the teacher
 * shares, and refuses convolutions of equal name whose kernels differ. Used to show that the
 * contract accepts a correct strategy and, wrapped in faults, rejects broken ones.
 */
final class CopyMatchingTensors implements InitializationStrategy {
    @Override
    public InitializationReport initialize(ModelStructure teacher, StateDict teacherState, ModelStructure student,
                                           StateDict studentState) {
        InitializationReport.Builder report = new InitializationReport.Builder();
        for (String name : studentState.names()) {
            INDArray target = studentState.get(name);
            if (!teacherState.contains(name)) {
                report.untouched(name, "no teacher tensor of that name");
                continue;
            }
            INDArray source = teacherState.get(name);
            if (target.rank() == 4 && source.rank() == 4
                    && (target.size(2) != source.size(2) || target.size(3) != source.size(3))) {
                throw new IllegalArgumentException("kernel of '" + name + "' differs: " + Arrays.toString(source.shape())
                        + " vs " + Arrays.toString(target.shape()));
            }
            if (Arrays.equals(target.shape(), source.shape())) {
                target.assign(source);
                report.transferred(new TensorTransfer(name, name, target.shape(), source.shape(), "copy"));
            } else {
                report.untouched(name, "the teacher tensor of that name has another shape");
            }
        }
        return report.build();
    }
}
