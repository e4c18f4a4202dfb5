package io.spikeforge.plugins.loopinit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.init.InitializationReport;
import io.spikeforge.api.init.TensorTransfer;
import io.spikeforge.api.model.LayerInfo;
import io.spikeforge.api.model.LayerKind;
import io.spikeforge.api.model.ModelStructure;
import io.spikeforge.api.model.StateDict;
import io.spikeforge.testkit.init.CifarResNet;
import io.spikeforge.testkit.init.ModelAndState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

class LoopInterpolationTest {
    private static final List<String> BN_TENSORS = List.of("weight", "bias", "running_mean", "running_var");

    private static final CifarResNet.Builder RESNET34 =
            CifarResNet.builder().architecture("resnet34").blocksPerStage(3, 4, 6, 3).widths(8, 16, 32, 64).seed(34);
    private static final CifarResNet.Builder RESNET18_HALF_WIDTH =
            CifarResNet.builder().architecture("resnet18").blocksPerStage(2, 2, 2, 2).widths(4, 8, 16, 32).seed(18);

    @Test
    void convolutionTilesOutputThenInputChannels() {
        // Entry [o, i, h, w] holds 1000o + 100i + 10h + w, so each value names its own position.
        INDArray teacherWeight = Nd4j.create(DataType.DOUBLE, 2, 3, 3, 3);
        for (int o = 0; o < 2; o++) {
            for (int i = 0; i < 3; i++) {
                for (int h = 0; h < 3; h++) {
                    for (int w = 0; w < 3; w++) {
                        teacherWeight.putScalar(new int[] {o, i, h, w}, 1000 * o + 100 * i + 10 * h + w);
                    }
                }
            }
        }
        ModelAndState teacher = stemOnly("teacher", teacherWeight, 3);
        ModelAndState student = stemOnly("student", Nd4j.zeros(DataType.DOUBLE, 4, 2, 3, 3), 3);

        InitializationReport report = LoopInterpolation.reference().initialize(teacher.structure(), teacher.state(),
                student.structure(), student.state());

        INDArray studentWeight = student.state().get("conv1.weight");
        for (int o = 0; o < 4; o++) {
            for (int i = 0; i < 2; i++) {
                for (int h = 0; h < 3; h++) {
                    for (int w = 0; w < 3; w++) {
                        assertEquals(teacherWeight.getDouble(o % 2, i % 3, h, w), studentWeight.getDouble(o, i, h, w),
                                "W_s[" + o + ", " + i + ", " + h + ", " + w + "]");
                    }
                }
            }
        }
        assertEquals(1121.0, studentWeight.getDouble(3, 1, 2, 1), "W_s[3, 1, 2, 1] = W_t[1, 1, 2, 1]");
        assertEquals(12.0, studentWeight.getDouble(2, 0, 1, 2), "W_s[2, 0, 1, 2] = W_t[0, 0, 1, 2]");
        assertEquals(new TensorTransfer("conv1.weight", "conv1.weight", new long[] {4, 2, 3, 3}, new long[] {2, 3, 3, 3},
                "loop-interpolation"), transfers(report).get("conv1.weight"));
    }

    @Test
    void batchNormVectorsRepeatOrTruncateChannels() {
        for (int studentChannels : new int[] {7, 2, 3}) {
            ModelAndState teacher = stemOnly("teacher", Nd4j.zeros(DataType.DOUBLE, 3, 3, 3, 3), 3);
            for (int t = 0; t < BN_TENSORS.size(); t++) {
                teacher.state().get("bn1." + BN_TENSORS.get(t)).assign(Nd4j.createFromArray(10.0 * t, 10.0 * t + 1, 10.0 * t + 2));
            }
            ModelAndState student = stemOnly("student", Nd4j.zeros(DataType.DOUBLE, 3, 3, 3, 3), studentChannels);

            InitializationReport report = LoopInterpolation.reference().initialize(teacher.structure(), teacher.state(),
                    student.structure(), student.state());

            for (int t = 0; t < BN_TENSORS.size(); t++) {
                String name = "bn1." + BN_TENSORS.get(t);
                double[] expected = new double[studentChannels];
                for (int c = 0; c < studentChannels; c++) {
                    expected[c] = 10.0 * t + c % 3;
                }
                assertArrayEquals(expected, student.state().get(name).toDoubleVector(), 0.0, name + " with " + studentChannels + " channels");
                assertEquals(studentChannels == 3 ? "copy" : "loop-interpolation", transfers(report).get(name).method(), name);
            }
        }
    }

    @Test
    void narrowerStudentKeepsTheLeadingChannels() {
        INDArray teacherWeight = Nd4j.rand(DataType.DOUBLE, 4, 4, 3, 3);
        ModelAndState teacher = stemOnly("teacher", teacherWeight, 4);
        ModelAndState student = stemOnly("student", Nd4j.zeros(DataType.DOUBLE, 2, 3, 3, 3), 2);

        LoopInterpolation.reference().initialize(teacher.structure(), teacher.state(), student.structure(), student.state());

        assertEquals(teacherWeight.get(NDArrayIndex.interval(0, 2), NDArrayIndex.interval(0, 3), NDArrayIndex.all(),
                NDArrayIndex.all()), student.state().get("conv1.weight"));
    }

    @Test
    void resNet18TakesTheFirstBlocksOfEachResNet34Stage() {
        ModelAndState teacher = RESNET34.build();
        ModelAndState student = RESNET18_HALF_WIDTH.build();

        Map<String, TensorTransfer> transfers = transfers(LoopInterpolation.reference().initialize(teacher.structure(),
                teacher.state(), student.structure(), student.state()));

        for (int stage = 1; stage <= 4; stage++) {
            for (int block = 0; block < 2; block++) {
                assertBlockCameFrom("layer" + stage + "." + block, "layer" + stage + "." + block, teacher, student, transfers);
            }
        }
    }

    @Test
    void relativeMappingKeepsEachBlocksDepth() {
        ModelAndState teacher = RESNET34.build();
        ModelAndState student = RESNET18_HALF_WIDTH.build();

        Map<String, TensorTransfer> transfers = transfers(new LoopInterpolation(BlockMapping.RELATIVE, true, false)
                .initialize(teacher.structure(), teacher.state(), student.structure(), student.state()));

        // Last student block <- last teacher block: ResNet-34 stages have 3, 4, 6 and 3 blocks.
        int[] lastTeacherBlock = {2, 3, 5, 2};
        for (int stage = 1; stage <= 4; stage++) {
            assertBlockCameFrom("layer" + stage + ".0", "layer" + stage + ".0", teacher, student, transfers);
            assertBlockCameFrom("layer" + stage + ".1", "layer" + stage + "." + lastTeacherBlock[stage - 1], teacher, student,
                    transfers);
        }
    }

    @Test
    void shortcutsAreLeftAloneUnlessEnabled() {
        ModelAndState teacher = RESNET34.build();
        ModelAndState disabled = RESNET18_HALF_WIDTH.build();
        StateDict before = disabled.copyOfState();
        InitializationReport reference = LoopInterpolation.reference().initialize(teacher.structure(), teacher.state(),
                disabled.structure(), disabled.state());
        for (int stage = 2; stage <= 4; stage++) {
            for (String tensor : shortcutTensors("layer" + stage + ".0")) {
                assertEquals("shortcut transfer disabled (transfer_shortcut: false)", reference.untouched().get(tensor), tensor);
                assertEquals(before.get(tensor), disabled.state().get(tensor), tensor + " changed");
            }
        }

        ModelAndState enabled = RESNET18_HALF_WIDTH.build();
        Map<String, TensorTransfer> transfers = transfers(new LoopInterpolation(BlockMapping.FIRST, true, true)
                .initialize(teacher.structure(), teacher.state(), enabled.structure(), enabled.state()));
        for (int stage = 2; stage <= 4; stage++) {
            for (String tensor : shortcutTensors("layer" + stage + ".0")) {
                TensorTransfer transfer = transfers.get(tensor);
                assertNotNull(transfer, tensor + " was not transferred");
                assertEquals(tensor, transfer.teacherTensor());
                assertEquals(leading(teacher.state().get(tensor), enabled.state().get(tensor).shape()), enabled.state().get(tensor),
                        tensor);
            }
        }
        assertArrayEquals(new long[] {16, 8, 1, 1}, transfers.get("layer3.0.downsample.0.weight").studentShape());
        assertArrayEquals(new long[] {32, 16, 1, 1}, transfers.get("layer3.0.downsample.0.weight").teacherShape());
    }

    @Test
    void stemIsTransferredUnlessDisabled() {
        ModelAndState teacher = RESNET34.build();
        ModelAndState student = RESNET18_HALF_WIDTH.build();
        Map<String, TensorTransfer> transfers = transfers(LoopInterpolation.reference().initialize(teacher.structure(),
                teacher.state(), student.structure(), student.state()));
        for (String tensor : stemTensors()) {
            assertEquals(tensor, transfers.get(tensor).teacherTensor());
            assertEquals(leading(teacher.state().get(tensor), student.state().get(tensor).shape()), student.state().get(tensor),
                    tensor);
        }

        ModelAndState withoutStem = RESNET18_HALF_WIDTH.build();
        StateDict before = withoutStem.copyOfState();
        InitializationReport report = new LoopInterpolation(BlockMapping.FIRST, false, false).initialize(teacher.structure(),
                teacher.state(), withoutStem.structure(), withoutStem.state());
        for (String tensor : stemTensors()) {
            assertEquals("stem transfer disabled (transfer_stem: false)", report.untouched().get(tensor), tensor);
            assertEquals(before.get(tensor), withoutStem.state().get(tensor), tensor + " changed");
        }
        assertTrue(transfers(report).containsKey("layer1.0.conv1.weight"), "blocks are still transferred without the stem");
    }

    @Test
    void classifierKeepsItsOwnInitialization() {
        ModelAndState teacher = RESNET34.build();
        ModelAndState student = RESNET18_HALF_WIDTH.build();
        StateDict before = student.copyOfState();
        InitializationReport report = new LoopInterpolation(BlockMapping.RELATIVE, true, true).initialize(teacher.structure(),
                teacher.state(), student.structure(), student.state());
        for (String tensor : List.of("fc.weight", "fc.bias")) {
            assertEquals("classifier keeps its own initialization", report.untouched().get(tensor), tensor);
            assertEquals(before.get(tensor), student.state().get(tensor), tensor + " changed");
        }
    }

    @Test
    void studentBlocksBeyondTheTeachersAreReportedWithoutCounterpart() {
        ModelAndState teacher = CifarResNet.builder().blocksPerStage(1, 1).widths(4, 8).seed(1).build();
        ModelAndState student = CifarResNet.builder().blocksPerStage(2, 3).widths(4, 8).seed(2).build();
        InitializationReport report = LoopInterpolation.reference().initialize(teacher.structure(), teacher.state(),
                student.structure(), student.state());
        for (String block : List.of("layer1.1", "layer2.1", "layer2.2")) {
            assertTrue(report.untouched().get(block + ".conv1.weight").startsWith("no teacher counterpart"),
                    block + ": " + report.untouched().get(block + ".conv1.weight"));
        }
        assertEquals("copy", transfers(report).get("layer2.0.conv2.weight").method(), "equal widths copy");
    }

    @Test
    void tensorsOutsideTheStructureAreReportedUntouched() {
        ModelAndState teacher = CifarResNet.builder().blocksPerStage(1).widths(4).seed(1).build();
        ModelAndState built = CifarResNet.builder().blocksPerStage(1).widths(4).seed(2).build();
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        built.state().names().forEach(name -> tensors.put(name, built.state().get(name)));
        tensors.put("bn1.num_batches_tracked", Nd4j.scalar(DataType.INT64, 7L));
        StateDict studentState = StateDict.of(tensors);

        InitializationReport report = LoopInterpolation.reference().initialize(teacher.structure(), teacher.state(),
                built.structure(), studentState);

        assertEquals("not part of any layer of the student's structure", report.untouched().get("bn1.num_batches_tracked"));
        assertEquals(7L, studentState.get("bn1.num_batches_tracked").getLong(0));
    }

    @Test
    void followsTheStudentsDataType() {
        ModelAndState teacher = CifarResNet.builder().blocksPerStage(1).widths(6).dataType(DataType.DOUBLE).seed(1).build();
        ModelAndState student = CifarResNet.builder().blocksPerStage(1).widths(4).dataType(DataType.FLOAT).seed(2).build();
        LoopInterpolation.reference().initialize(teacher.structure(), teacher.state(), student.structure(), student.state());
        INDArray written = student.state().get("layer1.0.conv2.weight");
        assertEquals(DataType.FLOAT, written.dataType());
        assertTrue(leading(teacher.state().get("layer1.0.conv2.weight"), written.shape()).castTo(DataType.FLOAT)
                .equalsWithEps(written, 1e-7), "FLOAT student from DOUBLE teacher");
    }

    @Test
    void tilesAFullSizeResNet34Layer4Convolution() {
        INDArray teacherWeight = Nd4j.rand(DataType.FLOAT, 512, 512, 3, 3);
        ModelAndState teacher = stemOnly("teacher", teacherWeight, 512);
        ModelAndState student = stemOnly("student", Nd4j.zeros(DataType.FLOAT, 768, 640, 3, 3), 768);

        LoopInterpolation.reference().initialize(teacher.structure(), teacher.state(), student.structure(), student.state());

        INDArray studentWeight = student.state().get("conv1.weight");
        Random positions = new Random(5);
        for (int n = 0; n < 200; n++) {
            int o = positions.nextInt(768);
            int i = positions.nextInt(640);
            int h = positions.nextInt(3);
            int w = positions.nextInt(3);
            assertEquals(teacherWeight.getFloat(o % 512, i % 512, h, w), studentWeight.getFloat(o, i, h, w),
                    "W_s[" + o + ", " + i + ", " + h + ", " + w + "]");
        }
    }

    @Test
    void mismatchedKernelsAreRefusedNamingBothTensorsAndLeaveTheStudentAlone() {
        ModelAndState teacher = CifarResNet.builder().blocksPerStage(3).widths(4).seed(1).build();
        ModelAndState built = CifarResNet.builder().blocksPerStage(2).widths(4).seed(2).build();
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        built.state().names().forEach(name -> tensors.put(name, built.state().get(name)));
        tensors.put("layer1.1.conv1.weight", Nd4j.zeros(DataType.FLOAT, 4, 4, 5, 5));
        StateDict studentState = StateDict.of(tensors);
        ModelAndState student = new ModelAndState(built.structure(), studentState);
        StateDict before = student.copyOfState();

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new LoopInterpolation(BlockMapping.RELATIVE, true, false).initialize(teacher.structure(), teacher.state(),
                        student.structure(), studentState));

        String message = error.getMessage();
        assertTrue(message.contains("teacher tensor 'layer1.2.conv1.weight' [4, 4, 3, 3]"), message);
        assertTrue(message.contains("student tensor 'layer1.1.conv1.weight' [4, 4, 5, 5]"), message);
        assertTrue(message.contains("kernel sizes differ"), message);
        for (String name : before.names()) {
            assertEquals(before.get(name), studentState.get(name), name + " was written before the refusal");
        }
    }

    @Test
    void differentStageCountsAreRefused() {
        ModelAndState teacher = CifarResNet.builder().architecture("four-stage").blocksPerStage(1, 1, 1, 1).widths(4, 4, 4, 4)
                .build();
        ModelAndState student = CifarResNet.builder().architecture("three-stage").blocksPerStage(1, 1, 1).widths(4, 4, 4)
                .build();
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> LoopInterpolation.reference().initialize(teacher.structure(), teacher.state(), student.structure(),
                        student.state()));
        assertTrue(error.getMessage().contains("'four-stage' has 4 stages") && error.getMessage().contains("'three-stage' has 3"),
                error.getMessage());
    }

    @Test
    void aPlainNetworkIsRefusedNamingWhatIsSupported() {
        ModelAndState resnet = CifarResNet.builder().blocksPerStage(1, 1).widths(4, 8).build();
        List<LayerInfo> features = List.of(new LayerInfo("features.0", LayerKind.CONVOLUTION, List.of("features.0.weight")),
                new LayerInfo("features.1", LayerKind.ACTIVATION, List.of()),
                new LayerInfo("features.2", LayerKind.CONVOLUTION, List.of("features.2.weight")));
        ModelStructure vgg = new ModelStructure("vgg11", features, List.of(),
                List.of(new LayerInfo("classifier", LayerKind.LINEAR, List.of("classifier.weight"))));
        StateDict vggState = StateDict.of(Map.of("features.0.weight", Nd4j.zeros(DataType.FLOAT, 4, 3, 3, 3),
                "features.2.weight", Nd4j.zeros(DataType.FLOAT, 4, 4, 3, 3), "classifier.weight",
                Nd4j.zeros(DataType.FLOAT, 10, 4)));

        IllegalArgumentException asStudent = assertThrows(IllegalArgumentException.class,
                () -> LoopInterpolation.reference().initialize(resnet.structure(), resnet.state(), vgg, vggState));
        IllegalArgumentException asTeacher = assertThrows(IllegalArgumentException.class,
                () -> LoopInterpolation.reference().initialize(vgg, vggState, resnet.structure(), resnet.copyOfState()));

        assertTrue(asStudent.getMessage().startsWith("student 'vgg11' is a plain network (2 convolutions before any"
                + " residual stage)"), asStudent.getMessage());
        assertTrue(asStudent.getMessage().contains("supports ResNets") && asStudent.getMessage().contains("not networks"
                + " such as VGG"), asStudent.getMessage());
        assertTrue(asTeacher.getMessage().startsWith("teacher 'vgg11' is a plain network"), asTeacher.getMessage());
        assertEquals(0, vggState.get("features.0.weight").sumNumber().doubleValue(), "nothing written");
    }

    /** Every tensor of the student's block came from the same-named tensor of the teacher block, with its leading channels. */
    private static void assertBlockCameFrom(String studentBlock, String teacherBlock, ModelAndState teacher, ModelAndState student,
                                            Map<String, TensorTransfer> transfers) {
        List<String> local = List.of("conv1.weight", "conv2.weight", "bn1.weight", "bn1.bias", "bn1.running_mean",
                "bn1.running_var", "bn2.weight", "bn2.bias", "bn2.running_mean", "bn2.running_var");
        for (String suffix : local) {
            String name = studentBlock + "." + suffix;
            TensorTransfer transfer = transfers.get(name);
            assertNotNull(transfer, name + " was not transferred");
            assertEquals(teacherBlock + "." + suffix, transfer.teacherTensor(), name);
            assertEquals("loop-interpolation", transfer.method(), name + " halves its channels");
            INDArray source = teacher.state().get(teacherBlock + "." + suffix);
            assertEquals(leading(source, student.state().get(name).shape()), student.state().get(name), name);
        }
    }

    /** The leading block of {@code source} of the given (not larger) shape. */
    private static INDArray leading(INDArray source, long[] shape) {
        INDArrayIndex[] intervals = new INDArrayIndex[shape.length];
        for (int d = 0; d < shape.length; d++) {
            intervals[d] = NDArrayIndex.interval(0, shape[d]);
        }
        return source.get(intervals);
    }

    private static List<String> shortcutTensors(String block) {
        List<String> names = new ArrayList<>(List.of(block + ".downsample.0.weight"));
        BN_TENSORS.forEach(t -> names.add(block + ".downsample.1." + t));
        return names;
    }

    private static List<String> stemTensors() {
        List<String> names = new ArrayList<>(List.of("conv1.weight"));
        BN_TENSORS.forEach(t -> names.add("bn1." + t));
        return names;
    }

    private static Map<String, TensorTransfer> transfers(InitializationReport report) {
        return report.transfers().stream().collect(Collectors.toMap(TensorTransfer::studentTensor, Function.identity()));
    }

    /** A model with only a stem: the given convolution weight and a BN of the given width (ones). */
    private static ModelAndState stemOnly(String architecture, INDArray convolutionWeight, int bnChannels) {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("conv1.weight", convolutionWeight);
        BN_TENSORS.forEach(t -> tensors.put("bn1." + t, Nd4j.ones(convolutionWeight.dataType(), bnChannels)));
        List<LayerInfo> stem = List.of(new LayerInfo("conv1", LayerKind.CONVOLUTION, List.of("conv1.weight")),
                new LayerInfo("bn1", LayerKind.BATCH_NORM, BN_TENSORS.stream().map(t -> "bn1." + t).toList()));
        return new ModelAndState(new ModelStructure(architecture, stem, List.of(), List.of()), StateDict.of(tensors));
    }
}
