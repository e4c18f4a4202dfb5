package ${package};

import io.spikeforge.api.component.ComponentProviderBase;
import io.spikeforge.api.component.ParameterSchema;
import io.spikeforge.api.component.ResolvedParameters;
import io.spikeforge.api.init.InitializationReport;
import io.spikeforge.api.init.InitializationStrategy;
import io.spikeforge.api.init.InitializationStrategyProvider;
import io.spikeforge.api.init.TensorTransfer;
import io.spikeforge.api.model.StateDict;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pf4j.Extension;

/**
 * Copies each teacher tensor into the student tensor of the same name: for a student of the teacher's
 * architecture and size. A student tensor the teacher lacks keeps its own initialization; a tensor of
 * another shape in the two models is an error, raised before anything is written. Experiments select
 * it with {@code initialization: {id: ${componentId}}}.
 */
@Extension
public class ExampleInitialization extends ComponentProviderBase implements InitializationStrategyProvider {
    public ExampleInitialization() {
        super("${componentId}",
                "Copies every teacher tensor into the student tensor of the same name and shape (same-size models)",
                ParameterSchema.empty());
    }

    @Override
    public InitializationStrategy create(ResolvedParameters parameters) {
        return (teacher, teacherState, student, studentState) -> {
            for (String name : studentState.names()) {
                if (teacherState.contains(name)
                        && !Arrays.equals(teacherState.get(name).shape(), studentState.get(name).shape())) {
                    throw new IllegalArgumentException(id() + " copies tensors of equal shape, but " + name + " is "
                            + teacherState.shapeOf(name) + " in the teacher (" + teacher.architecture() + ") and "
                            + studentState.shapeOf(name) + " in the student (" + student.architecture() + ")");
                }
            }
            InitializationReport.Builder report = new InitializationReport.Builder();
            for (String name : studentState.names()) {
                if (teacherState.contains(name)) {
                    INDArray target = studentState.get(name);
                    INDArray source = teacherState.get(name);
                    target.assign(source.castTo(target.dataType()));
                    report.transferred(new TensorTransfer(name, name, target.shape(), source.shape(), "copy"));
                } else {
                    report.untouched(name, "the teacher has no " + name);
                }
            }
            return report.build();
        };
    }
}
