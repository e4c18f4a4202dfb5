package io.spikeforge.plugins.loopinit;

import io.spikeforge.api.init.InitializationReport;
import io.spikeforge.api.init.InitializationStrategy;
import io.spikeforge.api.init.TensorTransfer;
import io.spikeforge.api.model.Block;
import io.spikeforge.api.model.LayerInfo;
import io.spikeforge.api.model.LayerKind;
import io.spikeforge.api.model.ModelStructure;
import io.spikeforge.api.model.Stage;
import io.spikeforge.api.model.StateDict;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * IDSNN's initialization of a student ResNet from a teacher ResNet.
 *
 * <p>Supported: ResNets, ANN or spiking (basic and SEW blocks), whose {@link ModelStructure} has a
 * stem of one convolution and stages of residual blocks; teacher and student with the same number
 * of stages. Not supported: plain networks such as VGG, whose feature extractor is a stem of many
 * convolutions, refused with a message naming the model, as are stage counts that differ.
 *
 * <p>Stage {@code i} of the student is initialized from stage {@code i} of the teacher (both must
 * have the same number of stages); within a stage the {@link BlockMapping} picks the teacher block
 * of each student block; within a block, layers are matched by local name ({@code conv1},
 * {@code bn2}, {@code downsample.0}) and kind, and tensors by suffix ({@code weight},
 * {@code running_mean}). Channels are mapped by loop interpolation: a convolution weight becomes
 * {@code W_s[o, i, :, :] = W_t[o mod O_t, i mod I_t, :, :]} and each BN vector (weight, bias,
 * running mean and variance) {@code v_s[c] = v_t[c mod C_t]}; a wider student repeats the teacher's
 * channels cyclically and a narrower one keeps the first. Kernel sizes must match.
 *
 * <p>What is transferred:
 * <ul>
 *   <li>Stem: yes unless disabled. design.md names only the shortcuts and the FC layer as left out
 *       by the reference code; it does not mention the stem, so it is transferred by default.</li>
 *   <li>Main path of every block: yes.</li>
 *   <li>Shortcut (downsample) convolution and BN: no unless enabled; the reference code skips them.</li>
 *   <li>Head (classifier): never; the student keeps its own initialization, as in the reference.</li>
 * </ul>
 * Every student tensor is either reported as transferred ({@code copy} when the shapes are equal,
 * {@code loop-interpolation} otherwise) or as untouched with the reason. All pairs are checked
 * before anything is written, so a refused pair leaves the student as it was. The teacher is only
 * read.
 */
public final class LoopInterpolation implements InitializationStrategy {
    /** Method name of a transfer between tensors of equal shape. */
    public static final String COPY = "copy";
    /** Method name of a transfer that tiles or truncates channels. */
    public static final String LOOP_INTERPOLATION = "loop-interpolation";

    private final BlockMapping blockMapping;
    private final boolean transferStem;
    private final boolean transferShortcut;

    /**
     * @param blockMapping which teacher block each student block comes from
     * @param transferStem whether the stem (conv1, bn1) is transferred
     * @param transferShortcut whether the shortcut convolutions and BNs are transferred
     */
    public LoopInterpolation(BlockMapping blockMapping, boolean transferStem, boolean transferShortcut) {
        this.blockMapping = Objects.requireNonNull(blockMapping, "blockMapping");
        this.transferStem = transferStem;
        this.transferShortcut = transferShortcut;
    }

    /** The IDSNN reference: first blocks, stem transferred, shortcuts not. */
    public static LoopInterpolation reference() {
        return new LoopInterpolation(BlockMapping.FIRST, true, false);
    }

    public BlockMapping blockMapping() {
        return blockMapping;
    }

    public boolean transfersStem() {
        return transferStem;
    }

    public boolean transfersShortcut() {
        return transferShortcut;
    }

    @Override
    public InitializationReport initialize(ModelStructure teacher, StateDict teacherState, ModelStructure student,
                                           StateDict studentState) {
        for (ModelStructure model : List.of(teacher, student)) {
            long stemConvolutions = model.stem().stream().filter(l -> l.kind() == LayerKind.CONVOLUTION).count();
            if (stemConvolutions > 1) {
                throw new IllegalArgumentException((model == teacher ? "teacher '" : "student '")
                        + model.architecture() + "' is a plain network (" + stemConvolutions + " convolutions before"
                        + " any residual stage): loop interpolation supports ResNets, spiking or not (a stem of one"
                        + " convolution, then stages of residual blocks), not networks such as VGG");
            }
        }
        if (teacher.stages().size() != student.stages().size()) {
            throw new IllegalArgumentException("teacher '" + teacher.architecture() + "' has " + teacher.stages().size()
                    + " stages and student '" + student.architecture() + "' has " + student.stages().size()
                    + ": loop interpolation initializes stage i of the student from stage i of the teacher");
        }
        Plan plan = new Plan(teacherState, studentState);
        planStem(teacher, student, plan);
        for (int s = 0; s < student.stages().size(); s++) {
            planStage(teacher.stages().get(s), student.stages().get(s), plan);
        }
        for (LayerInfo layer : student.head()) {
            plan.skip(layer, layer.kind() == LayerKind.LINEAR ? "classifier keeps its own initialization"
                    : "head keeps its own initialization");
        }
        return plan.execute();
    }

    private void planStem(ModelStructure teacher, ModelStructure student, Plan plan) {
        Map<String, LayerInfo> teacherStem = byLocalName(teacher.stem());
        for (LayerInfo layer : student.stem()) {
            if (transferStem) {
                plan.match(layer, teacherStem.get(layer.localName()), "the teacher's stem has no layer '" + layer.localName() + "'");
            } else {
                plan.skip(layer, "stem transfer disabled (transfer_stem: false)");
            }
        }
    }

    private void planStage(Stage teacherStage, Stage studentStage, Plan plan) {
        int studentBlocks = studentStage.blocks().size();
        int teacherBlocks = teacherStage.blocks().size();
        for (int j = 0; j < studentBlocks; j++) {
            Block block = studentStage.blocks().get(j);
            OptionalInt source = teacherBlocks == 0 ? OptionalInt.empty()
                    : blockMapping.teacherBlock(j, studentBlocks, teacherBlocks);
            if (source.isEmpty()) {
                String reason = "no teacher counterpart: the teacher's stage " + teacherStage.index() + " has " + teacherBlocks
                        + " blocks and block_mapping is " + blockMapping.parameterValue();
                block.layers().forEach(layer -> plan.skip(layer, reason));
                continue;
            }
            Block teacherBlock = teacherStage.blocks().get(source.getAsInt());
            Map<String, LayerInfo> teacherMain = byLocalName(teacherBlock.main());
            for (LayerInfo layer : block.main()) {
                plan.match(layer, teacherMain.get(layer.localName()),
                        "teacher block " + teacherBlock.name() + " has no main-path layer '" + layer.localName() + "'");
            }
            Map<String, LayerInfo> teacherShortcut = byLocalName(teacherBlock.shortcut());
            for (LayerInfo layer : block.shortcut()) {
                if (transferShortcut) {
                    plan.match(layer, teacherShortcut.get(layer.localName()),
                            "teacher block " + teacherBlock.name() + " has no shortcut layer '" + layer.localName() + "'");
                } else {
                    plan.skip(layer, "shortcut transfer disabled (transfer_shortcut: false)");
                }
            }
        }
    }

    private static Map<String, LayerInfo> byLocalName(List<LayerInfo> layers) {
        Map<String, LayerInfo> byName = new LinkedHashMap<>();
        layers.forEach(layer -> byName.put(layer.localName(), layer));
        return byName;
    }

    @Override
    public String toString() {
        return "LoopInterpolation[block_mapping=" + blockMapping.parameterValue() + ", transfer_stem=" + transferStem
                + ", transfer_shortcut=" + transferShortcut + "]";
    }

    /** The decision for every student tensor, checked in full before anything is written. */
    private static final class Plan {
        private final StateDict teacherState;
        private final StateDict studentState;
        private final Map<String, TensorTransfer> transfers = new LinkedHashMap<>();
        private final Map<String, String> untouched = new LinkedHashMap<>();

        Plan(StateDict teacherState, StateDict studentState) {
            this.teacherState = teacherState;
            this.studentState = studentState;
        }

        void skip(LayerInfo layer, String reason) {
            layer.tensors().forEach(tensor -> untouched.put(tensor, reason));
        }

        void match(LayerInfo layer, LayerInfo teacherLayer, String missingReason) {
            if (teacherLayer == null) {
                skip(layer, "no teacher counterpart: " + missingReason);
                return;
            }
            if (teacherLayer.kind() != layer.kind()) {
                skip(layer, "no teacher counterpart: teacher layer '" + teacherLayer.name() + "' is " + teacherLayer.kind()
                        + ", not " + layer.kind());
                return;
            }
            for (String tensor : layer.tensors()) {
                String suffix = tensor.substring(layer.name().length() + 1);
                teacherLayer.tensor(suffix).ifPresentOrElse(
                        teacherTensor -> transfers.put(tensor, checkedTransfer(tensor, teacherTensor, layer.kind())),
                        () -> untouched.put(tensor, "no teacher counterpart: teacher layer '" + teacherLayer.name()
                                + "' has no tensor '" + suffix + "'"));
            }
        }

        private TensorTransfer checkedTransfer(String studentTensor, String teacherTensor, LayerKind kind) {
            long[] studentShape = studentState.get(studentTensor).shape();
            long[] teacherShape = teacherState.get(teacherTensor).shape();
            String pair = "cannot loop-interpolate teacher tensor '" + teacherTensor + "' " + Arrays.toString(teacherShape)
                    + " into student tensor '" + studentTensor + "' " + Arrays.toString(studentShape);
            if (studentShape.length != teacherShape.length) {
                throw new IllegalArgumentException(pair + ": their ranks differ");
            }
            // A convolution weight [out, in, kH, kW] tiles channels only; the kernel must be the same.
            if (kind == LayerKind.CONVOLUTION && studentShape.length > 2) {
                long[] studentKernel = Arrays.copyOfRange(studentShape, 2, studentShape.length);
                long[] teacherKernel = Arrays.copyOfRange(teacherShape, 2, teacherShape.length);
                if (!Arrays.equals(studentKernel, teacherKernel)) {
                    throw new IllegalArgumentException(pair + ": kernel sizes differ (teacher " + Arrays.toString(teacherKernel)
                            + ", student " + Arrays.toString(studentKernel) + ")");
                }
            }
            String method = Arrays.equals(studentShape, teacherShape) ? COPY : LOOP_INTERPOLATION;
            return new TensorTransfer(studentTensor, teacherTensor, studentShape, teacherShape, method);
        }

        InitializationReport execute() {
            InitializationReport.Builder report = new InitializationReport.Builder();
            for (String name : studentState.names()) {
                TensorTransfer transfer = transfers.get(name);
                if (transfer != null) {
                    INDArray target = studentState.get(name);
                    INDArray values = ChannelTiling.tile(teacherState.get(transfer.teacherTensor()), target.shape());
                    target.assign(values.castTo(target.dataType()));
                    report.transferred(transfer);
                } else {
                    report.untouched(name, untouched.getOrDefault(name, "not part of any layer of the student's structure"));
                }
            }
            return report.build();
        }
    }
}
