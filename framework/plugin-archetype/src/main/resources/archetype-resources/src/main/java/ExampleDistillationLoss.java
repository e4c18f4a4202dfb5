package ${package};

import io.spikeforge.api.component.ComponentProviderBase;
import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ParameterSpec;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.distill.DistillationLoss;
import io.spikeforge.api.distill.DistillationLossProvider;
import io.spikeforge.api.distill.LossValue;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.pf4j.Extension;

/**
 * Logit matching (Ba and Caruana 2014) beside the labels' cross-entropy:
 * {@code CE(softmax(s), y) + weight * mean over the batch of sum_k (s_k - t_k)^2 / 2}, with the
 * student's logits {@code s} and the teacher's {@code t}. Experiments select it with
 * {@code distillation: {id: ${componentId}, weight: 0.1}}.
 */
@Extension
public class ExampleDistillationLoss extends ComponentProviderBase implements DistillationLossProvider {
    public ExampleDistillationLoss() {
        super("${componentId}",
                "Cross-entropy plus weight times the squared distance of the student's logits to the teacher's",
                ParameterSchema.of(ParameterSpec.number("weight").optDefault(0.1).optMin(0, true)
                        .optDescription("the logit-matching term's weight").build()));
    }

    @Override
    public DistillationLoss create(ResolvedParameters parameters) {
        double weight = parameters.getDouble("weight");
        return (studentLogits, teacherLogits, labels) -> {
            if (studentLogits.rank() != 2 || !Arrays.equals(studentLogits.shape(), teacherLogits.shape())
                    || labels.length != studentLogits.size(0)) {
                throw new IllegalArgumentException("expected student and teacher logits [B, K] and B labels, got "
                        + Arrays.toString(studentLogits.shape()) + ", " + Arrays.toString(teacherLogits.shape())
                        + " and " + labels.length + " labels");
            }
            long batch = studentLogits.size(0);
            long classes = studentLogits.size(1);
            INDArray oneHot = Nd4j.zeros(DataType.DOUBLE, batch, classes);
            for (int row = 0; row < labels.length; row++) {
                if (labels[row] < 0 || labels[row] >= classes) {
                    throw new IllegalArgumentException("label " + labels[row] + " of row " + row + " is outside [0, "
                            + classes + ")");
                }
                oneHot.putScalar(row, labels[row], 1.0);
            }
            INDArray student = studentLogits.castTo(DataType.DOUBLE);
            INDArray difference = student.sub(teacherLogits.castTo(DataType.DOUBLE));
            // log-softmax through log-sum-exp after subtracting each row's maximum: no overflow
            INDArray shifted = student.subColumnVector(student.max(true, 1));
            INDArray logProbabilities = shifted.subColumnVector(
                    Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false));
            double crossEntropy = -oneHot.mul(logProbabilities).sumNumber().doubleValue() / batch;
            double matching = weight * difference.mul(difference).sumNumber().doubleValue() / 2 / batch;
            INDArray gradient = Transforms.exp(logProbabilities, true).subi(oneHot).addi(difference.muli(weight))
                    .divi(batch);
            Map<String, Double> terms = new LinkedHashMap<>();
            terms.put("ce", crossEntropy);
            terms.put("logits", matching);
            return new LossValue(crossEntropy + matching, gradient.castTo(studentLogits.dataType()), terms);
        };
    }
}
