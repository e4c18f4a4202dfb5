package io.spikeforge.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spikeforge.api.distill.DistillationLoss;
import io.spikeforge.api.distill.LossValue;
import io.spikeforge.engine.data.Augmentation;
import io.spikeforge.engine.data.DataLoader;
import io.spikeforge.engine.data.ImageSet;
import io.spikeforge.engine.data.LoaderOptions;
import io.spikeforge.engine.data.Normalization;
import io.spikeforge.engine.data.Split;
import io.spikeforge.engine.data.SyntheticImageSets;
import io.spikeforge.engine.data.SyntheticSpec;
import io.spikeforge.engine.layer.SoftmaxCrossEntropy;
import io.spikeforge.engine.model.NeuronFactory;
import io.spikeforge.engine.model.ResNet;
import io.spikeforge.testkit.SlowTest;
import io.spikeforge.testkit.neuron.LifTestNeuron;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The training loop on a tiny ResNet and a tiny synthetic set: 48 training and 32 test images of 10 classes. */
@SlowTest
class TrainingLoopTest {
    private static final int CLASSES = 10;
    private static final SyntheticSpec SPEC = new SyntheticSpec(CLASSES, 48, 32, 3);
    private static final ImageSet TRAIN = SyntheticImageSets.images(SPEC, Split.TRAIN);
    private static final ImageSet TEST = SyntheticImageSets.images(SPEC, Split.TEST);
    private static final Normalization NORMALIZATION = Normalization.of(TRAIN);
    private static final int BATCH = 16;

    private static ResNet.Builder tiny(long seed) {
        return ResNet.builder().optDepth(20).optWidths(4, 8, 8).optBlocksPerStage(1).optClasses(CLASSES)
                .optSeed(seed);
    }

    private static TrainingLoop.Builder loop(String name, ResNet model) {
        DataLoader train = new DataLoader(TRAIN, LoaderOptions.training(BATCH, 7, Augmentation.CIFAR_STANDARD,
                NORMALIZATION));
        DataLoader test = new DataLoader(TEST, LoaderOptions.evaluation(BATCH, NORMALIZATION));
        return TrainingLoop.builder(name, model, train, test)
                .optimizer(new Sgd(0.9, 1e-4, false), LearningRateSchedule.constant(0.05), 4);
    }

    @Test
    void theTrainingLossDecreases() {
        ImageSet sixteen = SyntheticImageSets.images(new SyntheticSpec(CLASSES, 16, 0, 3), Split.TRAIN);
        DataLoader unaugmented = new DataLoader(sixteen, LoaderOptions.training(16, 7, Augmentation.NONE,
                NORMALIZATION));
        DataLoader test = new DataLoader(TEST, LoaderOptions.evaluation(BATCH, NORMALIZATION));
        TrainingResult result = TrainingLoop.builder("ann", tiny(1).build(), unaugmented, test)
                .optimizer(new Sgd(0.9, 0, false), LearningRateSchedule.constant(0.05), 20).build().run();

        assertFalse(result.stopped());
        assertEquals(20, result.epochs().size());
        double first = result.epochs().get(0).trainLoss();
        double last = result.epochs().get(19).trainLoss();
        assertTrue(last < 0.8 * first, "train loss " + first + " -> " + last);
        EvaluationResult evaluation = result.epochs().get(19).evaluation();
        assertEquals(TEST.size(), evaluation.images());
        assertTrue(evaluation.loss() > 0 && Double.isFinite(evaluation.loss()), "test loss " + evaluation.loss());
        assertTrue(evaluation.firingRates().isEmpty(), "an ANN has no spiking layers");
        assertTrue(Double.isNaN(evaluation.meanFiringRate()));
    }

    @Test
    void listenersSeeTheStartEveryStepAndEveryEpochInOrder() {
        List<String> calls = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onTrainingStart(TrainingStart start) {
                calls.add("start " + start.model() + " " + start.epochs() + "x" + start.stepsPerEpoch() + " eval "
                        + start.evaluationBatches());
            }

            @Override
            public void onStep(StepResult step) {
                assertTrue(Double.isFinite(step.loss()) && step.lossTerms().get("ce") == step.loss(), step::toString);
                assertEquals(0.05, step.learningRate());
                assertTrue(!step.duration().isNegative() && !step.duration().isZero());
                calls.add("step " + step.epoch() + "." + step.step() + " of " + step.stepsPerEpoch() + " size "
                        + step.batchSize());
            }

            @Override
            public void onEpoch(EpochResult epoch) {
                calls.add("epoch " + epoch.epoch());
            }
        };
        TrainingLoop.Builder builder = loop("ann", tiny(1).build());
        builder.optimizer(new Sgd(0, 0, false), LearningRateSchedule.constant(0.05), 2).listener(recorder).build().run();

        List<String> expected = new ArrayList<>(List.of("start ann 2x3 eval 2"));
        for (int epoch = 0; epoch < 2; epoch++) {
            for (int step = 0; step < 3; step++) {
                expected.add("step " + epoch + "." + step + " of 3 size 16");
            }
            expected.add("epoch " + epoch);
        }
        assertEquals(expected, calls);
    }

    @Test
    void theSameSeedsGiveIdenticalMetrics() {
        List<EpochResult> first = loop("ann", tiny(1).build()).build().run().epochs();
        List<EpochResult> second = loop("ann", tiny(1).build()).build().run().epochs();
        List<EpochResult> otherWeights = loop("ann", tiny(2).build()).build().run().epochs();

        for (int e = 0; e < first.size(); e++) {
            assertEquals(first.get(e).trainLoss(), second.get(e).trainLoss(), "train loss of epoch " + e);
            assertEquals(first.get(e).trainAccuracy(), second.get(e).trainAccuracy(), "train accuracy of epoch " + e);
            assertEquals(first.get(e).evaluation().loss(), second.get(e).evaluation().loss(), "test loss of epoch " + e);
            assertEquals(first.get(e).evaluation().accuracy(), second.get(e).evaluation().accuracy());
        }
        assertTrue(first.get(0).trainLoss() != otherWeights.get(0).trainLoss(), "the seed matters");
    }

    @Test
    void aNonFiniteLossStopsBeforeTheUpdateNamingEpochAndStep() {
        ResNet model = tiny(1).build();
        AtomicInteger calls = new AtomicInteger();
        Map<String, INDArray> before = new LinkedHashMap<>();
        DistillationLoss nanOnFifthStep = (student, teacher, labels) -> {
            SoftmaxCrossEntropy crossEntropy = new SoftmaxCrossEntropy(student.dataType());
            double value = crossEntropy.forward(student, labels);
            if (calls.incrementAndGet() == 5) {
                model.stateDict().names().forEach(name -> before.put(name, model.stateDict().get(name).dup()));
                value = Double.NaN;
            }
            return new LossValue(value, crossEntropy.backward(), Map.of("ce", value));
        };
        TrainingLoop training = loop("student", model).distillFrom(tiny(9).build(), nanOnFifthStep).build();

        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, training::run);

        assertEquals(1, e.epoch());
        assertEquals(1, e.step());
        assertTrue(Double.isNaN(e.loss()));
        assertTrue(e.getMessage().contains("student: the training loss is NaN at epoch 2, step 2"), e.getMessage());
        assertTrue(e.getMessage().contains("try a lower one"), e.getMessage());
        before.forEach((name, value) -> assertEquals(value, model.stateDict().get(name), name + " changed"));
    }

    /** Cross-entropy's gradient with a loss value of the test's choosing, one per step. */
    private static DistillationLoss scriptedLoss(double... values) {
        AtomicInteger calls = new AtomicInteger();
        return (student, teacher, labels) -> {
            SoftmaxCrossEntropy crossEntropy = new SoftmaxCrossEntropy(student.dataType());
            crossEntropy.forward(student, labels);
            int call = calls.getAndIncrement();
            double value = call < values.length ? values[call] : 1.0;
            return new LossValue(value, crossEntropy.backward(), Map.of("ce", value));
        };
    }

    @Test
    void aFiniteLossAboveTheBoundForTheRulesStepsInARowStopsTheTraining() {
        DivergenceRule rule = new DivergenceRule(10, 3);
        double bound = 10 * Math.log(CLASSES);
        assertEquals(bound, rule.bound(CLASSES, 2), 1e-12);
        assertEquals("23.03 (10 x ln 10)", rule.describe(CLASSES, 2));
        double above = Math.nextUp(bound);
        // 3 steps per epoch: two above, one at the bound (not above), then three above from the last
        // step of epoch 2 into epoch 3
        ResNet model = tiny(1).build();
        TrainingLoop training = loop("student", model).divergence(rule)
                .distillFrom(tiny(9).build(), scriptedLoss(2, above, above, bound, 1e3, 2, 1, 1, 1e17, 1e17, 1e17))
                .build();

        LossBoundExceededException e = assertThrows(LossBoundExceededException.class, training::run);

        assertEquals(3, e.epoch(), "the 11th step: epoch 4, step 2");
        assertEquals(1, e.step());
        assertEquals(1e17, e.loss());
        assertTrue(e.getMessage().startsWith("student: the training loss is 1.000e+17 at epoch 4, step 2 (learning"
                + " rate 0.05), above 23.03 (10 x ln 10) for 3 steps in a row"), e.getMessage());
        assertTrue(e.getMessage().contains("try a lower one"), e.getMessage());
    }

    @Test
    void aLossThatComesBackBelowTheBoundOrARuleSwitchedOffTrainsOn() {
        DivergenceRule rule = new DivergenceRule(10, 3);
        double bound = rule.bound(CLASSES, 2);
        double above = Math.nextUp(bound);
        double[] twoAboveThenBelow = {2, above, above, 2, above, above, bound, above, above, 2};
        TrainingResult recovering = loop("student", tiny(1).build()).divergence(rule)
                .distillFrom(tiny(9).build(), scriptedLoss(twoAboveThenBelow)).build().run();
        assertEquals(4, recovering.epochs().size());

        TrainingResult off = loop("student", tiny(1).build()).divergence(DivergenceRule.OFF)
                .distillFrom(tiny(9).build(), scriptedLoss(1e30, 1e30, 1e30, 1e30, 1e30, 1e30, 1e30)).build().run();
        assertEquals(4, off.epochs().size());
        assertFalse(DivergenceRule.OFF.enabled());

        // the default rule lets a NaN through to its own exception, whatever came before
        assertThrows(NonFiniteLossException.class, () -> loop("student", tiny(1).build())
                .distillFrom(tiny(9).build(), scriptedLoss(1e30, Double.POSITIVE_INFINITY)).build().run());
        assertThrows(IllegalArgumentException.class, () -> new DivergenceRule(1, 3));
        assertThrows(IllegalArgumentException.class, () -> new DivergenceRule(100, 0));
    }

    @Test
    void aLossThatStartsHighIsJudgedAgainstItsOwnStart() {
        // Hinton KD at temperature 20 with a teacher whose top logit is 60 above the others: KD 400
        // against a uniform student, above 100 ln 10 = 230 for many steps while the student learns
        double[] learning = {400, 390, 380, 370, 360, 350, 340, 330, 320, 310, 300, 290};
        TrainingResult high = loop("student", tiny(1).build())
                .distillFrom(tiny(9).build(), scriptedLoss(learning)).build().run();
        assertEquals(4, high.epochs().size());
        assertEquals(4e4, DivergenceRule.DEFAULT.bound(CLASSES, 400), 1e-9);

        LossBoundExceededException e = assertThrows(LossBoundExceededException.class, () -> loop("student",
                tiny(1).build()).distillFrom(tiny(9).build(), scriptedLoss(400, 1e10, 1e10, 1e10, 1e10, 1e10)).build()
                .run());
        assertEquals(5, e.epoch() * 3 + e.step(), "the fifth step above the bound, the sixth in all");
        assertTrue(e.getMessage().contains("above 4.000e+04 (100 x 400.0, the loss of the first step) for 5 steps"),
                e.getMessage());
        assertEquals("230.3 (100 x ln 10)", DivergenceRule.DEFAULT.describe(CLASSES, Double.NaN));
    }

    @Test
    void theDefaultRuleStopsAnExplodingLearningRateAndLeavesANormalOneAlone() {
        TrainingResult normal = loop("ann", tiny(1).build()).build().run();
        assertEquals(4, normal.epochs().size());

        ResNet model = tiny(1).build();
        DataLoader train = new DataLoader(TRAIN, LoaderOptions.training(BATCH, 7, Augmentation.CIFAR_STANDARD,
                NORMALIZATION));
        DataLoader test = new DataLoader(TEST, LoaderOptions.evaluation(BATCH, NORMALIZATION));
        TrainingLoop exploding = TrainingLoop.builder("ann", model, train, test)
                .optimizer(new Sgd(0.9, 1e-4, false), LearningRateSchedule.constant(1e6), 4).build();
        LossDivergedException e = assertThrows(LossDivergedException.class, exploding::run);
        assertTrue(e.epoch() * 3 + e.step() < 3 + DivergenceRule.DEFAULT.steps(), "stopped early: " + e.getMessage());
    }

    @Test
    void distillationTrainsTheStudentAndLeavesTheTeacherUntouched() {
        ResNet teacher = tiny(5).build();
        Map<String, INDArray> teacherBefore = new LinkedHashMap<>();
        teacher.stateDict().names().forEach(name -> teacherBefore.put(name, teacher.stateDict().get(name).dup()));
        List<INDArray> teacherLogitsSeen = new ArrayList<>();
        DistillationLoss recording = (student, teacherLogits, labels) -> {
            teacherLogitsSeen.add(teacherLogits.dup());
            SoftmaxCrossEntropy crossEntropy = new SoftmaxCrossEntropy(student.dataType());
            double ce = crossEntropy.forward(student, labels);
            return new LossValue(ce, crossEntropy.backward(), terms(ce * 0.75, ce * 0.25));
        };
        ResNet student = tiny(1).build();
        TrainingLoop.Builder builder = loop("student", student).distillFrom(teacher, recording);
        TrainingResult result = builder.optimizer(new Sgd(0.9, 0, false), LearningRateSchedule.constant(0.05), 1)
                .build().run();

        teacherBefore.forEach((name, value) -> assertEquals(value, teacher.stateDict().get(name),
                name + " of the teacher changed (its BN statistics change in training mode)"));
        assertEquals(3, teacherLogitsSeen.size());
        DataLoader train = new DataLoader(TRAIN, LoaderOptions.training(BATCH, 7, Augmentation.CIFAR_STANDARD,
                NORMALIZATION));
        assertEquals(teacher.forward(train.batch(0, 1).images(), false), teacherLogitsSeen.get(1),
                "the teacher's eval-mode logits of the same augmented batch");
        Map<String, Double> terms = result.epochs().get(0).trainLossTerms();
        assertEquals(List.of("ce", "kd"), List.copyOf(terms.keySet()));
        assertEquals(result.epochs().get(0).trainLoss(), terms.get("ce") + terms.get("kd"), 1e-9);
    }

    private static Map<String, Double> terms(double ce, double kd) {
        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put("ce", ce);
        terms.put("kd", kd);
        return terms;
    }

    @Test
    void aStopRequestEndsTheTrainingBetweenSteps() {
        AtomicInteger steps = new AtomicInteger();
        TrainingResult result = loop("ann", tiny(1).build())
                .listener(new TrainingListener() {
                    @Override
                    public void onStep(StepResult step) {
                        steps.incrementAndGet();
                    }
                })
                .stopWhen(() -> steps.get() >= 4)
                .build().run();

        assertTrue(result.stopped());
        assertEquals(4, steps.get());
        assertEquals(1, result.epochs().size(), "the first epoch finished, the second was cut short");
    }

    @Test
    void aSpikingModelReportsTheFiringRateOfEachSpikingLayer() {
        NeuronFactory neurons = (layer, type) -> LifTestNeuron.builder().build();
        ResNet model = tiny(1).optSpiking(neurons, 2).build();
        TrainingResult result = loop("snn", model).optimizer(new Sgd(0.9, 0, false),
                LearningRateSchedule.constant(0.05), 1).build().run();

        Map<String, Double> rates = result.epochs().get(0).evaluation().firingRates();
        assertEquals(List.copyOf(model.firingRates().keySet()), List.copyOf(rates.keySet()));
        assertEquals(7, rates.size(), "sn1 and two per block");
        rates.forEach((layer, rate) -> assertTrue(rate >= 0 && rate <= 1, layer + " " + rate));
        assertTrue(rates.values().stream().anyMatch(rate -> rate > 0), "some layer spikes: " + rates);
    }
}
