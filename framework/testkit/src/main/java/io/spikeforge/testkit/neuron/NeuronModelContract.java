package io.spikeforge.testkit.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.spikeforge.api.model.Parameter;
import io.spikeforge.api.neuron.ChannelAffine;
import io.spikeforge.api.neuron.NeuronModel;
import io.spikeforge.api.neuron.NeuronSteps;
import io.spikeforge.api.neuron.SurrogateFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Contract tests for a {@link NeuronModel}. Extend this class, implement {@link
 * #createNeuron(SurrogateFunction)}, and optionally supply a {@link ScalarNeuronReference} for exact
 * comparison. Every neuron must pass:
 *
 * <ul>
 *   <li>{@link #sampleInputMakesNeuronsFireAndStaySilent}: the random currents used below (uniform in
 *       {@code [minCurrent(), maxCurrent()]}) make some neurons fire and some stay silent, so that the
 *       other checks are not vacuous;
 *   <li>{@link #outputHasInputShapeAndType}: spikes and gradients have the input's shape and data type,
 *       for {@code [T*B, N]} and {@code [T*B, C, H, W]}, FLOAT and DOUBLE, T = 1 and 4;
 *   <li>{@link #spikesAreZeroOrOne};
 *   <li>{@link #forwardAndBackwardAreDeterministic}: the same input twice, and on a fresh instance,
 *       gives the same spikes and gradients;
 *   <li>{@link #trainingAndInferenceForwardAgree};
 *   <li>{@link #singleStepsEqualInferenceForward}, for a neuron with a single-step mode
 *       ({@link NeuronModel#startSteps()} not empty): stepping T times gives the spikes of an
 *       inference forward over T steps bit for bit, FLOAT and DOUBLE, T = 1 and 16, on an instance
 *       that also ran forward; a step of another shape is rejected;
 *   <li>{@link #stepsIntoABufferEqualSingleSteps}, for a neuron with a single-step mode:
 *       {@link NeuronSteps#step(INDArray, INDArray)} into a buffer of the caller, or over the current
 *       itself, gives {@link NeuronSteps#step(INDArray)}'s spikes bit for bit, leaves a separate current
 *       unchanged and rejects spikes of another shape; where {@link NeuronSteps#restart()} says it
 *       restarts, the steps after it give the first run's spikes again; closing the steps after use
 *       does not fail;
 *   <li>{@link #batchElementsAreIndependent}: permuting the batch within every time-step permutes
 *       spikes and gradients the same way;
 *   <li>{@link #neuronsAreIndependent}: changing one element's currents changes no other element's
 *       spikes or gradients;
 *   <li>{@link #forwardIsCausal}: changing the currents from step t on leaves the spikes before t as
 *       they were;
 *   <li>{@link #backwardIsCausal}: when dL/dspikes is zero from step t on, dL/dcurrent is exactly zero
 *       from step t on;
 *   <li>{@link #backwardIsLinearInGradSpikes}: {@code backward(a g1 + b g2) = a backward(g1) + b
 *       backward(g2)} in DOUBLE;
 *   <li>{@link #backwardWithoutTrainingForwardThrows}: {@link IllegalStateException} with a message on
 *       a fresh instance, after an inference-only forward, and after {@link NeuronModel#clear()};
 *   <li>{@link #floatAndDoubleAgree}: the same currents in FLOAT and DOUBLE give the same spikes and
 *       gradients within 1e-4;
 *   <li>{@link #inputsAreNotModified}: forward and backward leave their arguments unchanged;
 *   <li>{@link #shapesCanChangeBetweenCalls}: after calls with other shapes, types and T, results equal
 *       a fresh instance's (reused buffers are resized correctly);
 *   <li>{@link #acceptsNonContiguousArrays}: strided views as current and dL/dspikes give the results
 *       of their contiguous copies;
 *   <li>{@link #rejectsMismatchedShapes}: {@link IllegalArgumentException} when the first dimension is
 *       not a multiple of T, or dL/dspikes has another shape than the spikes;
 *   <li>{@link #matchesScalarReference}, when {@link #scalarReference} is supplied: spikes equal and
 *       gradients agree within 1e-9 in DOUBLE for every element and T = 1, 2, 4, 6;
 *   <li>{@link #parametersHaveUniqueNamesTypesAndStayTheSame}: trainable parameters
 *       ({@link NeuronModel#parameters()}) have unique non-empty names without dots, the data type the
 *       neuron was made for (FLOAT and DOUBLE), and are the same objects on every call;
 *   <li>{@link #backwardAddsToParameterGradients}: backward adds to {@link Parameter#gradient()};
 *   <li>{@link #channelAffineInputEqualsMappedCurrent}, for a neuron that accepts a channel affine
 *       input of FLOAT currents ({@link NeuronModel#acceptsChannelAffine}): forward of a channels-last
 *       current and a {@link ChannelAffine} gives the spikes, input gradient and parameter gradients
 *       of forward of the mapped current bit for bit, in training and inference, also for a strided
 *       view, and leaves the current unchanged;
 *   <li>{@link #channelAffineInputIsRefusedWhereNotAccepted}: where a neuron does not accept it (the
 *       default), that forward throws {@link UnsupportedOperationException};
 *   <li>{@link #inputGradientMatchesFiniteDifferencesThroughTime} and
 *       {@link #parameterGradientsMatchFiniteDifferencesThroughTime}, when {@link #smoothNeuron} is
 *       supplied: dL/dcurrent and dL/d(every parameter entry) of its backward equal central finite
 *       differences of its forward in DOUBLE over {@link #FD_STEPS} steps.
 * </ul>
 *
 * <p>Finite differences need a forward pass that the backward differentiates exactly. A neuron's
 * spike is a step, so {@link #smoothNeuron} is the same neuron with the step replaced by a smooth
 * function whose derivative is the surrogate, and the reset not detached: then the only difference
 * from training is the spike function, and every hand-written path through time (charge, reset,
 * threshold, parameters) is checked. Neurons written on {@link io.spikeforge.api.neuron.BaseNeuron}
 * get it from {@code withSmoothSpike}.
 *
 * <p>Backward passes run with {@link #surrogate()}, by default a {@link SmoothTestSurrogate} that is
 * positive everywhere, so that every path of back-propagation through time carries gradient and a
 * wrong path changes the result. The true derivative of a spiking neuron is zero almost everywhere,
 * so finite differences cannot check its backward pass; the scalar reference is how to check the
 * gradient values themselves (verify the reference on its own, for example with finite differences
 * on a smooth relaxation of the spike).
 *
 * <p>Results returned by the neuron are copied before they are kept, since the neuron may reuse its
 * buffers. The check methods are public so that they can also be called directly.
 */
public abstract class NeuronModelContract {
    private static final long SEED = 4242L;
    private static final int STEPS = 4;
    private static final int BATCH = 3;
    private static final long FEATURES = 5;
    private static final long[] IMAGE = {2, 3, 2};
    private static final double GRADIENT_TOLERANCE = 1e-9;
    private static final double FLOAT_TOLERANCE = 1e-4;

    /** A new neuron model (one layer's neurons) that uses {@code surrogate} in its backward pass. */
    protected abstract NeuronModel createNeuron(SurrogateFunction surrogate);

    /**
     * A new neuron model whose trainable parameters, if any, are {@code parameterType}; by default
     * {@link #createNeuron(SurrogateFunction)}, for neurons without parameters.
     */
    protected NeuronModel createNeuron(SurrogateFunction surrogate, DataType parameterType) {
        return createNeuron(surrogate);
    }

    /**
     * The neuron with DOUBLE parameters, its reset not detached, and its spike {@code spike(H - threshold)}
     * instead of the step, where {@code slope} (its surrogate) is the derivative of {@code spike}; empty
     * (the default) skips the finite-difference checks. Supply it for every neuron with trainable
     * parameters or a charge rule of its own.
     */
    protected Optional<NeuronModel> smoothNeuron(DoubleUnaryOperator spike, SurrogateFunction slope) {
        return Optional.empty();
    }

    /** The surrogate the neurons under test are built with. */
    protected SurrogateFunction surrogate() {
        return new SmoothTestSurrogate();
    }

    /** A scalar reference of the neuron built with {@code surrogate}, or empty to skip the comparison. */
    protected Optional<ScalarNeuronReference> scalarReference(SurrogateFunction surrogate) {
        return Optional.empty();
    }

    /** Smallest random input current. */
    protected double minCurrent() {
        return -0.5;
    }

    /** Largest random input current. */
    protected double maxCurrent() {
        return 1.5;
    }

    @Test
    public void sampleInputMakesNeuronsFireAndStaySilent() {
        INDArray current = current(new Random(SEED), DataType.DOUBLE, STEPS, FEATURES);
        double[] spikes = flatten(newNeuron().forward(current, STEPS, false));
        double fired = Arrays.stream(spikes).sum();
        assertTrue(fired > 0 && fired < spikes.length, () -> name() + ": currents uniform in [" + minCurrent() + ", "
                + maxCurrent() + "] gave " + fired + " spikes out of " + spikes.length
                + "; override minCurrent()/maxCurrent() so that some neurons fire and some do not");
    }

    @Test
    public void outputHasInputShapeAndType() {
        Random random = new Random(SEED);
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            for (int steps : new int[] {1, STEPS}) {
                for (long[] sampleShape : sampleShapes()) {
                    INDArray current = current(random, type, steps, sampleShape);
                    NeuronModel neuron = newNeuron();
                    INDArray spikes = neuron.forward(current, steps, true);
                    String what = name() + ", " + type + ", T = " + steps + ", current shape "
                            + Arrays.toString(current.shape());
                    assertArrayEquals(current.shape(), spikes.shape(), () -> what + ": spikes have shape "
                            + Arrays.toString(spikes.shape()));
                    assertEquals(type, spikes.dataType(), () -> what + ": spikes have type " + spikes.dataType());
                    INDArray gradient = neuron.backward(uniform(random, type, -1, 1, current.shape()));
                    assertArrayEquals(current.shape(), gradient.shape(), () -> what + ": dL/dcurrent has shape "
                            + Arrays.toString(gradient.shape()));
                    assertEquals(type, gradient.dataType(), () -> what + ": dL/dcurrent has type "
                            + gradient.dataType());
                }
            }
        }
    }

    @Test
    public void spikesAreZeroOrOne() {
        Random random = new Random(SEED);
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            for (long[] sampleShape : sampleShapes()) {
                for (boolean training : new boolean[] {true, false}) {
                    INDArray current = current(random, type, STEPS, sampleShape);
                    double[] spikes = flatten(newNeuron().forward(current, STEPS, training));
                    for (int i = 0; i < spikes.length; i++) {
                        double spike = spikes[i];
                        int index = i;
                        assertTrue(spike == 0 || spike == 1, () -> name() + ", " + type + ": spike " + index
                                + " is " + spike + ", expected 0 or 1");
                    }
                }
            }
        }
    }

    @Test
    public void forwardAndBackwardAreDeterministic() {
        Random random = new Random(SEED);
        INDArray current = current(random, DataType.DOUBLE, STEPS, IMAGE);
        INDArray gradSpikes = uniform(random, DataType.DOUBLE, -1, 1, current.shape());
        NeuronModel neuron = newNeuron();
        Result first = run(neuron, current, STEPS, gradSpikes);
        Result again = run(neuron, current, STEPS, gradSpikes);
        Result fresh = run(newNeuron(), current, STEPS, gradSpikes);
        assertSameValues(first.spikes, again.spikes, 0, STEPS, "spikes of a repeated forward");
        assertSameValues(first.gradient, again.gradient, 0, STEPS, "dL/dcurrent of a repeated forward and backward");
        assertSameValues(first.spikes, fresh.spikes, 0, STEPS, "spikes of a fresh instance");
        assertSameValues(first.gradient, fresh.gradient, 0, STEPS, "dL/dcurrent of a fresh instance");
    }

    @Test
    public void trainingAndInferenceForwardAgree() {
        INDArray current = current(new Random(SEED), DataType.DOUBLE, STEPS, IMAGE);
        NeuronModel neuron = newNeuron();
        INDArray training = neuron.forward(current, STEPS, true).dup();
        INDArray inference = neuron.forward(current, STEPS, false).dup();
        assertSameValues(training, inference, 0, STEPS, "spikes of an inference forward vs a training forward");
    }

    @Test
    public void singleStepsEqualInferenceForward() {
        Assumptions.assumeTrue(newNeuron().startSteps().isPresent(), () -> name() + " has no single-step mode");
        Random random = new Random(SEED);
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            for (int steps : new int[] {1, 16}) {
                for (long[] sample : sampleShapes()) {
                    INDArray current = current(random, type, steps, sample);
                    NeuronModel neuron = newNeuron();
                    INDArray expected = neuron.forward(current, steps, false).dup();
                    NeuronSteps stepper = neuron.startSteps().orElseThrow();
                    INDArray actual = Nd4j.createUninitialized(type, current.shape());
                    for (int t = 0; t < steps; t++) {
                        INDArray rows = current.get(NDArrayIndex.interval((long) t * BATCH, (long) (t + 1) * BATCH));
                        INDArray spikes = stepper.step(rows.dup('c'));
                        assertEquals(type, spikes.dataType(), () -> name() + ": a step's spikes have another type");
                        assertArrayEquals(rows.shape(), spikes.shape(), () -> name() + ": a step's spikes have"
                                + " another shape than its current");
                        actual.get(NDArrayIndex.interval((long) t * BATCH, (long) (t + 1) * BATCH)).assign(spikes);
                        // forward's buffers and the stepper's are separate
                        neuron.forward(current, steps, false);
                    }
                    assertEquals(steps, stepper.stepsTaken(), () -> name() + ": stepsTaken");
                    assertSameValues(expected, actual, 0, steps, type + " spikes of " + steps
                            + " single steps vs an inference forward over " + steps + " steps, sample shape "
                            + Arrays.toString(sample));
                }
            }
        }
        NeuronSteps stepper = newNeuron().startSteps().orElseThrow();
        stepper.step(current(random, DataType.FLOAT, 1, FEATURES));
        INDArray other = current(random, DataType.FLOAT, 1, FEATURES + 1);
        assertThrows(IllegalArgumentException.class, () -> stepper.step(other),
                () -> name() + ": a step must reject a current of another shape than the first step's");
    }

    @Test
    public void stepsIntoABufferEqualSingleSteps() {
        Assumptions.assumeTrue(newNeuron().startSteps().isPresent(), () -> name() + " has no single-step mode");
        Random random = new Random(SEED);
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            int steps = 16;
            INDArray current = current(random, type, steps, IMAGE);
            try (NeuronSteps own = newNeuron().startSteps().orElseThrow();
                 NeuronSteps into = newNeuron().startSteps().orElseThrow();
                 NeuronSteps over = newNeuron().startSteps().orElseThrow()) {
                List<INDArray> expectedSpikes = new ArrayList<>();
                for (int t = 0; t < steps; t++) {
                    INDArray rows = current.get(NDArrayIndex.interval((long) t * BATCH, (long) (t + 1) * BATCH)).dup('c');
                    INDArray expected = own.step(rows).dup();
                    expectedSpikes.add(expected);
                    INDArray buffer = Nd4j.createUninitialized(type, rows.shape());
                    assertSame(buffer, into.step(rows, buffer), () -> name() + ": step(current, spikes) returns spikes");
                    INDArray overwritten = rows.dup('c');
                    over.step(overwritten, overwritten);
                    int step = t;
                    assertArrayEquals(flat(expected), flat(buffer), 0, () -> name() + " " + type
                            + ": spikes stepped into a buffer vs step(current), step " + step);
                    assertArrayEquals(flat(expected), flat(overwritten), 0, () -> name() + " " + type
                            + ": spikes stepped over their current vs step(current), step " + step);
                    assertArrayEquals(flat(rows), flat(current.get(NDArrayIndex.interval((long) t * BATCH,
                            (long) (t + 1) * BATCH))), 0, () -> name() + ": a step into a buffer changed the current");
                }
                // a restart, where the neuron offers one, starts from the initial state again
                if (over.restart()) {
                    assertEquals(0, over.stepsTaken(), () -> name() + ": stepsTaken after a restart");
                    for (int t = 0; t < steps; t++) {
                        INDArray rows = current.get(NDArrayIndex.interval((long) t * BATCH, (long) (t + 1) * BATCH))
                                .dup('c');
                        int step = t;
                        assertArrayEquals(flat(expectedSpikes.get(t)), flat(over.step(rows, rows)), 0,
                                () -> name() + " " + type + ": spikes after a restart vs the first run, step " + step);
                    }
                }
                INDArray next = current(random, type, 1, IMAGE);
                INDArray wrongShape = Nd4j.createUninitialized(type, BATCH, FEATURES);
                assertThrows(IllegalArgumentException.class, () -> into.step(next, wrongShape),
                        () -> name() + ": step(current, spikes) must reject spikes of another shape than the current");
            }
        }
    }

    /** The elements of {@code array} in row-major order, in double. */
    private static double[] flat(INDArray array) {
        return array.dup('c').reshape(array.length()).castTo(DataType.DOUBLE).toDoubleVector();
    }

    @Test
    public void batchElementsAreIndependent() {
        Random random = new Random(SEED);
        INDArray current = current(random, DataType.DOUBLE, STEPS, IMAGE);
        INDArray gradSpikes = uniform(random, DataType.DOUBLE, -1, 1, current.shape());
        Result original = run(newNeuron(), current, STEPS, gradSpikes);
        // A swap and a rotation: cross-talk that one of them preserves, the other breaks.
        for (int[] permutation : new int[][] {{1, 0, 2}, {2, 0, 1}}) {
            Result permuted = run(newNeuron(), permuteBatch(current, permutation), STEPS,
                    permuteBatch(gradSpikes, permutation));
            String order = Arrays.toString(permutation);
            assertSameValues(permuteBatch(original.spikes, permutation), permuted.spikes, 0, STEPS,
                    "spikes of a batch permuted by " + order + " within every step, compared with the permuted spikes");
            assertSameValues(permuteBatch(original.gradient, permutation), permuted.gradient, GRADIENT_TOLERANCE,
                    STEPS, "dL/dcurrent of a batch permuted by " + order
                            + " within every step, compared with the permuted dL/dcurrent");
        }
    }

    @Test
    public void neuronsAreIndependent() {
        Random random = new Random(SEED);
        INDArray current = current(random, DataType.DOUBLE, STEPS, FEATURES);
        INDArray gradSpikes = uniform(random, DataType.DOUBLE, -1, 1, current.shape());
        int sample = 1;
        int feature = 2;
        INDArray changed = current.dup();
        for (int t = 0; t < STEPS; t++) {
            changed.putScalar(t * BATCH + sample, feature, minCurrent() + random.nextDouble() * (maxCurrent()
                    - minCurrent()));
        }
        Result before = run(newNeuron(), current, STEPS, gradSpikes);
        Result after = run(newNeuron(), changed, STEPS, gradSpikes);
        for (int row = 0; row < STEPS * BATCH; row++) {
            for (int column = 0; column < FEATURES; column++) {
                if (row % BATCH == sample && column == feature) {
                    continue;
                }
                int r = row;
                int c = column;
                assertEquals(before.spikes.getDouble(row, column), after.spikes.getDouble(row, column), () -> name()
                        + ": changing the currents of element (sample " + sample + ", feature " + feature
                        + ") changed the spike at row " + r + ", feature " + c);
                assertEquals(before.gradient.getDouble(row, column), after.gradient.getDouble(row, column),
                        GRADIENT_TOLERANCE, () -> name() + ": changing the currents of element (sample " + sample
                                + ", feature " + feature + ") changed dL/dcurrent at row " + r + ", feature " + c);
            }
        }
    }

    @Test
    public void forwardIsCausal() {
        int steps = 6;
        Random random = new Random(SEED);
        INDArray current = current(random, DataType.DOUBLE, steps, IMAGE);
        INDArray spikes = newNeuron().forward(current, steps, true).dup();
        for (int from = 1; from < steps; from++) {
            INDArray changed = current.dup();
            INDArray later = changed.get(NDArrayIndex.interval((long) from * BATCH, (long) steps * BATCH));
            later.assign(uniform(random, DataType.DOUBLE, minCurrent(), maxCurrent(), later.shape()));
            INDArray changedSpikes = newNeuron().forward(changed, steps, true).dup();
            assertSameValues(firstSteps(spikes, from), firstSteps(changedSpikes, from), 0, from,
                    "spikes before step " + from + " after changing the currents from step " + from + " on");
        }
    }

    @Test
    public void backwardIsCausal() {
        int steps = 6;
        Random random = new Random(SEED);
        INDArray current = current(random, DataType.DOUBLE, steps, IMAGE);
        for (int from = 1; from < steps; from++) {
            INDArray gradSpikes = uniform(random, DataType.DOUBLE, -1, 1, current.shape());
            gradSpikes.get(NDArrayIndex.interval((long) from * BATCH, (long) steps * BATCH)).assign(0);
            INDArray gradient = run(newNeuron(), current, steps, gradSpikes).gradient;
            double[] later = flatten(gradient.get(NDArrayIndex.interval((long) from * BATCH, (long) steps * BATCH)));
            for (double value : later) {
                int step = from;
                assertEquals(0.0, value, () -> name() + ": dL/dspikes is zero from step " + step
                        + " on, but dL/dcurrent from step " + step + " on is not (found " + value + ")");
            }
        }
    }

    @Test
    public void backwardIsLinearInGradSpikes() {
        Random random = new Random(SEED);
        INDArray current = current(random, DataType.DOUBLE, STEPS, IMAGE);
        INDArray g1 = uniform(random, DataType.DOUBLE, -1, 1, current.shape());
        INDArray g2 = uniform(random, DataType.DOUBLE, -1, 1, current.shape());
        double a = 0.7;
        double b = -1.3;
        INDArray combined = run(newNeuron(), current, STEPS, g1.mul(a).addi(g2.mul(b))).gradient;
        INDArray separate = run(newNeuron(), current, STEPS, g1).gradient.muli(a)
                .addi(run(newNeuron(), current, STEPS, g2).gradient.muli(b));
        assertSameValues(separate, combined, GRADIENT_TOLERANCE, STEPS,
                "backward(a*g1 + b*g2) compared with a*backward(g1) + b*backward(g2)");
    }

    @Test
    public void backwardWithoutTrainingForwardThrows() {
        INDArray current = current(new Random(SEED), DataType.DOUBLE, STEPS, FEATURES);
        INDArray gradSpikes = Nd4j.ones(DataType.DOUBLE, current.shape());
        assertBackwardThrows(newNeuron(), gradSpikes, "on a fresh instance");
        NeuronModel inferenceOnly = newNeuron();
        inferenceOnly.forward(current, STEPS, false);
        assertBackwardThrows(inferenceOnly, gradSpikes, "after an inference-only forward");
        NeuronModel cleared = newNeuron();
        cleared.forward(current, STEPS, true);
        cleared.clear();
        assertBackwardThrows(cleared, gradSpikes, "after clear()");
    }

    @Test
    public void channelAffineInputEqualsMappedCurrent() {
        Assumptions.assumeTrue(newNeuron().acceptsChannelAffine(DataType.FLOAT),
                () -> name() + " takes no channel affine input");
        Random random = new Random(SEED + 17);
        INDArray current = current(random, DataType.FLOAT, STEPS, 2, 2, 3);
        INDArray original = current.dup();
        ChannelAffine affine = new ChannelAffine(new float[] {0.5f, 1.75f, -0.8f}, new float[] {0.3f, -0.2f, 0.1f});
        INDArray mapped = mapped(current, affine);
        INDArray gradSpikes = uniform(random, DataType.FLOAT, -1, 1, current.shape());
        NeuronModel plain = newNeuron();
        Result expected = run(plain, mapped, STEPS, gradSpikes);
        for (INDArray input : List.of(current, current.dup('f'))) {
            NeuronModel fused = newNeuron();
            INDArray spikes = fused.forward(input, affine, STEPS, true).dup();
            INDArray gradient = fused.backward(gradSpikes).dup();
            String view = input == current ? "" : " (strided view)";
            assertSameValues(expected.spikes, spikes, 0, STEPS, "spikes of the channel affine input" + view);
            assertSameValues(expected.gradient, gradient, 0, STEPS, "input gradients of the channel affine input"
                    + view);
            for (int p = 0; p < plain.parameters().size(); p++) {
                assertSameValues(plain.parameters().get(p).gradient(), fused.parameters().get(p).gradient(), 0, 1,
                        "gradients of parameter " + plain.parameters().get(p).name() + " with a channel affine input"
                                + view);
            }
            assertSameValues(newNeuron().forward(mapped, STEPS, false).dup(),
                    newNeuron().forward(input, affine, STEPS, false), 0, STEPS,
                    "inference spikes of the channel affine input" + view);
        }
        assertSameValues(original, current, 0, STEPS, "the current after a forward with a channel affine input");
    }

    @Test
    public void channelAffineInputIsRefusedWhereNotAccepted() {
        ChannelAffine affine = new ChannelAffine(new float[] {2f}, new float[] {-0.5f});
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            NeuronModel neuron = newNeuron();
            if (!neuron.acceptsChannelAffine(type)) {
                INDArray current = current(new Random(SEED), type, STEPS, FEATURES);
                assertThrows(UnsupportedOperationException.class, () -> neuron.forward(current, affine, STEPS, true),
                        () -> name() + ": forward with a channel affine input must throw UnsupportedOperationException"
                                + " for " + type + " currents, which acceptsChannelAffine refuses");
            }
        }
    }

    /** {@code x * scale[c] + shift[c]} in float, c the index modulo the channels. */
    private static INDArray mapped(INDArray current, ChannelAffine affine) {
        float[] values = current.dup('c').data().asFloat();
        for (int i = 0; i < values.length; i++) {
            int c = i % affine.channels();
            values[i] = values[i] * affine.scale()[c] + affine.shift()[c];
        }
        return Nd4j.createFromArray(values).reshape('c', current.shape());
    }

    @Test
    public void floatAndDoubleAgree() {
        Random random = new Random(SEED);
        INDArray currentFloat = current(random, DataType.FLOAT, STEPS, IMAGE);
        INDArray gradFloat = uniform(random, DataType.FLOAT, -1, 1, currentFloat.shape());
        Result single = run(newNeuron(), currentFloat, STEPS, gradFloat);
        Result dual = run(newNeuron(), currentFloat.castTo(DataType.DOUBLE), STEPS, gradFloat.castTo(DataType.DOUBLE));
        assertSameValues(dual.spikes, single.spikes.castTo(DataType.DOUBLE), 0, STEPS, "FLOAT spikes vs DOUBLE spikes");
        assertSameValues(dual.gradient, single.gradient.castTo(DataType.DOUBLE), FLOAT_TOLERANCE, STEPS,
                "FLOAT dL/dcurrent vs DOUBLE dL/dcurrent");
    }

    @Test
    public void inputsAreNotModified() {
        Random random = new Random(SEED);
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            INDArray current = current(random, type, STEPS, IMAGE);
            INDArray gradSpikes = uniform(random, type, -1, 1, current.shape());
            INDArray currentBefore = current.dup();
            INDArray gradBefore = gradSpikes.dup();
            run(newNeuron(), current, STEPS, gradSpikes);
            assertSameValues(currentBefore, current, 0, STEPS, type + " current after forward and backward");
            assertSameValues(gradBefore, gradSpikes, 0, STEPS, type + " dL/dspikes after backward");
        }
    }

    @Test
    public void shapesCanChangeBetweenCalls() {
        Random random = new Random(SEED);
        INDArray first = current(random, DataType.DOUBLE, STEPS, FEATURES);
        INDArray firstGrad = uniform(random, DataType.DOUBLE, -1, 1, first.shape());
        INDArray second = current(random, DataType.FLOAT, 2, IMAGE);
        INDArray secondGrad = uniform(random, DataType.FLOAT, -1, 1, second.shape());
        NeuronModel neuron = newNeuron();
        Result firstRun = run(neuron, first, STEPS, firstGrad);
        Result secondRun = run(neuron, second, 2, secondGrad);
        Result firstAgain = run(neuron, first, STEPS, firstGrad);
        Result secondFresh = run(newNeuron(), second, 2, secondGrad);
        assertSameValues(secondFresh.spikes, secondRun.spikes, 0, 2, "spikes after a call with another shape");
        assertSameValues(secondFresh.gradient, secondRun.gradient, 0, 2,
                "dL/dcurrent after a call with another shape");
        assertSameValues(firstRun.spikes, firstAgain.spikes, 0, STEPS, "spikes when a shape returns");
        assertSameValues(firstRun.gradient, firstAgain.gradient, 0, STEPS, "dL/dcurrent when a shape returns");
    }

    @Test
    public void acceptsNonContiguousArrays() {
        Random random = new Random(SEED);
        INDArray wide = current(random, DataType.DOUBLE, STEPS, 2 * FEATURES);
        INDArray wideGrad = uniform(random, DataType.DOUBLE, -1, 1, wide.shape());
        INDArray current = wide.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2, 2 * FEATURES));
        INDArray gradSpikes = wideGrad.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2, 2 * FEATURES));
        Result onViews = run(newNeuron(), current, STEPS, gradSpikes);
        Result onCopies = run(newNeuron(), current.dup('c'), STEPS, gradSpikes.dup('c'));
        assertSameValues(onCopies.spikes, onViews.spikes, 0, STEPS, "spikes for a strided view as current");
        assertSameValues(onCopies.gradient, onViews.gradient, 0, STEPS,
                "dL/dcurrent for strided views as current and dL/dspikes");
    }

    @Test
    public void rejectsMismatchedShapes() {
        Random random = new Random(SEED);
        INDArray current = current(random, DataType.DOUBLE, STEPS, FEATURES);
        INDArray oneRowMore = Nd4j.concat(0, current, current.get(NDArrayIndex.interval(0, 1)));
        assertThrows(IllegalArgumentException.class, () -> newNeuron().forward(oneRowMore, STEPS, true),
                () -> name() + ": forward must reject " + oneRowMore.size(0) + " rows for T = " + STEPS);
        NeuronModel neuron = newNeuron();
        neuron.forward(current, STEPS, true);
        INDArray wrongGrad = Nd4j.ones(DataType.DOUBLE, current.size(0), FEATURES + 1);
        assertThrows(IllegalArgumentException.class, () -> neuron.backward(wrongGrad),
                () -> name() + ": backward must reject dL/dspikes of shape " + Arrays.toString(wrongGrad.shape())
                        + " for spikes of shape " + Arrays.toString(current.shape()));
    }

    @Test
    public void matchesScalarReference() {
        SurrogateFunction surrogate = surrogate();
        Optional<ScalarNeuronReference> supplied = scalarReference(surrogate);
        Assumptions.assumeTrue(supplied.isPresent(), "no scalar reference supplied");
        ScalarNeuronReference reference = supplied.get();
        Random random = new Random(SEED);
        long features = 20;
        for (int steps : new int[] {1, 2, 4, 6}) {
            INDArray current = current(random, DataType.DOUBLE, steps, features);
            INDArray gradSpikes = uniform(random, DataType.DOUBLE, -1, 1, current.shape());
            Result result = run(Objects.requireNonNull(createNeuron(surrogate), "createNeuron returned null"),
                    current, steps, gradSpikes);
            for (int sample = 0; sample < BATCH; sample++) {
                for (int feature = 0; feature < features; feature++) {
                    double[] x = sequence(current, steps, sample, feature);
                    double[] expectedSpikes = reference.spikes(x);
                    double[] expectedGradient = reference.gradient(x, sequence(gradSpikes, steps, sample, feature));
                    double[] actualSpikes = sequence(result.spikes, steps, sample, feature);
                    double[] actualGradient = sequence(result.gradient, steps, sample, feature);
                    String element = name() + ", T = " + steps + ", sample " + sample + ", feature " + feature
                            + ", currents " + Arrays.toString(x);
                    assertArrayEquals(expectedSpikes, actualSpikes, () -> element + ": spikes differ from the reference");
                    for (int t = 0; t < steps; t++) {
                        int step = t;
                        assertEquals(expectedGradient[t], actualGradient[t],
                                GRADIENT_TOLERANCE * Math.max(1, Math.abs(expectedGradient[t])),
                                () -> element + ": dL/dcurrent at step " + step + " differs from the reference "
                                        + Arrays.toString(expectedGradient) + ", got " + Arrays.toString(actualGradient));
                    }
                }
            }
        }
    }

    /** Time-steps of the finite-difference checks. */
    protected static final int FD_STEPS = 3;
    private static final double FD_STEP = 1e-6;
    private static final double FD_TOLERANCE = 1e-6;
    private static final double SMOOTH_SHARPNESS = 4;

    @Test
    public void parametersHaveUniqueNamesTypesAndStayTheSame() {
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            NeuronModel neuron = Objects.requireNonNull(createNeuron(surrogate(), type), "createNeuron returned null");
            List<Parameter> parameters = neuron.parameters();
            assertNotNull(parameters, () -> name() + ": parameters() returned null");
            Set<String> names = new HashSet<>();
            for (Parameter parameter : parameters) {
                String local = parameter.name();
                assertFalse(local.isEmpty() || local.contains("."), () -> name() + ": parameter name '" + local
                        + "' must be non-empty and without dots");
                assertTrue(names.add(local), () -> name() + ": parameter name '" + local + "' is repeated");
                assertEquals(type, parameter.value().dataType(), () -> name() + ": parameter " + local
                        + " must have the data type the neuron was made for");
            }
            INDArray current = current(new Random(SEED), DataType.FLOAT, STEPS, FEATURES);
            run(neuron, current, STEPS, Nd4j.onesLike(current));
            List<Parameter> again = neuron.parameters();
            assertEquals(parameters.size(), again.size(), () -> name() + ": parameters() changed its size");
            for (int i = 0; i < parameters.size(); i++) {
                assertTrue(parameters.get(i) == again.get(i), name() + ": parameters() must return the same objects"
                        + " on every call (the optimizer keeps them)");
            }
        }
    }

    @Test
    public void backwardAddsToParameterGradients() {
        NeuronModel neuron = Objects.requireNonNull(createNeuron(surrogate(), DataType.DOUBLE));
        Assumptions.assumeFalse(neuron.parameters().isEmpty(), "the neuron has no parameters");
        Random random = new Random(SEED);
        INDArray current = current(random, DataType.DOUBLE, STEPS, FEATURES);
        INDArray gradSpikes = uniform(random, DataType.DOUBLE, -1, 1, current.shape());
        neuron.parameters().forEach(Parameter::zeroGradient);
        run(neuron, current, STEPS, gradSpikes);
        List<INDArray> once = neuron.parameters().stream().map(p -> p.gradient().dup()).toList();
        assertTrue(once.stream().anyMatch(g -> g.amaxNumber().doubleValue() > 0), () -> name() + ": every parameter"
                + " gradient is zero after a backward pass, so adding cannot be told from replacing");
        run(neuron, current, STEPS, gradSpikes);
        for (int i = 0; i < once.size(); i++) {
            Parameter parameter = neuron.parameters().get(i);
            assertSameValues(once.get(i).mul(2), parameter.gradient(), 1e-12, 1,
                    "dL/d" + parameter.name() + " after two backward passes vs twice one (backward must add to the gradient)");
        }
    }

    @Test
    public void inputGradientMatchesFiniteDifferencesThroughTime() {
        NeuronModel neuron = smoothNeuronOrSkip();
        Random random = new Random(SEED + 1);
        INDArray current = current(random, DataType.DOUBLE, FD_STEPS, FEATURES);
        INDArray weights = uniform(random, DataType.DOUBLE, -1, 1, current.shape());
        neuron.forward(current, FD_STEPS, true);
        double[] analytic = flatten(neuron.backward(weights).dup());
        for (int i = 0; i < analytic.length; i++) {
            INDArray plus = current.dup();
            INDArray minus = current.dup();
            plus.putScalar(i, current.getDouble(i) + FD_STEP);
            minus.putScalar(i, current.getDouble(i) - FD_STEP);
            double numeric = (weighted(neuron, plus, weights) - weighted(neuron, minus, weights)) / (2 * FD_STEP);
            assertFiniteDifference(analytic[i], numeric, "dL/dcurrent, step " + i / (analytic.length / FD_STEPS)
                    + ", element " + i % (analytic.length / FD_STEPS));
        }
    }

    @Test
    public void parameterGradientsMatchFiniteDifferencesThroughTime() {
        NeuronModel neuron = smoothNeuronOrSkip();
        Assumptions.assumeFalse(neuron.parameters().isEmpty(), "the neuron has no parameters");
        Random random = new Random(SEED + 2);
        INDArray current = current(random, DataType.DOUBLE, FD_STEPS, IMAGE);
        INDArray weights = uniform(random, DataType.DOUBLE, -1, 1, current.shape());
        neuron.parameters().forEach(Parameter::zeroGradient);
        neuron.forward(current, FD_STEPS, true);
        neuron.backward(weights);
        for (Parameter parameter : neuron.parameters()) {
            INDArray value = parameter.value();
            assertEquals(DataType.DOUBLE, value.dataType(), () -> name() + ": smoothNeuron must have DOUBLE parameters");
            double[] analytic = flatten(parameter.gradient().dup());
            for (int j = 0; j < analytic.length; j++) {
                double original = value.getDouble(j);
                value.putScalar(j, original + FD_STEP);
                double plus = weighted(neuron, current, weights);
                value.putScalar(j, original - FD_STEP);
                double minus = weighted(neuron, current, weights);
                value.putScalar(j, original);
                assertFiniteDifference(analytic[j], (plus - minus) / (2 * FD_STEP),
                        "dL/d" + parameter.name() + "[" + j + "]");
            }
        }
    }

    private NeuronModel smoothNeuronOrSkip() {
        DoubleUnaryOperator logistic = u -> 1 / (1 + Math.exp(-SMOOTH_SHARPNESS * u));
        Optional<NeuronModel> smooth = smoothNeuron(logistic, new SmoothTestSurrogate(SMOOTH_SHARPNESS));
        Assumptions.assumeTrue(smooth.isPresent(), "no smooth neuron supplied");
        return smooth.get();
    }

    /** {@code sum(weights * spikes)} of an inference forward. */
    private static double weighted(NeuronModel neuron, INDArray current, INDArray weights) {
        double[] spikes = flatten(neuron.forward(current, (int) (current.size(0) / BATCH), false));
        double[] w = flatten(weights);
        double sum = 0;
        for (int i = 0; i < spikes.length; i++) {
            sum += spikes[i] * w[i];
        }
        return sum;
    }

    private void assertFiniteDifference(double analytic, double numeric, String what) {
        double scale = Math.max(1, Math.max(Math.abs(analytic), Math.abs(numeric)));
        if (!(Math.abs(analytic - numeric) <= FD_TOLERANCE * scale)) {
            fail(name() + ": " + what + ": backward gives " + analytic + " but central finite differences of the"
                    + " smooth neuron's forward " + numeric);
        }
    }

    private NeuronModel newNeuron() {
        return Objects.requireNonNull(createNeuron(surrogate()), "createNeuron returned null");
    }

    private String name() {
        return getClass().getSimpleName().isEmpty() ? getClass().getName() : getClass().getSimpleName();
    }

    private static List<long[]> sampleShapes() {
        return List.of(new long[] {FEATURES}, IMAGE);
    }

    private void assertBackwardThrows(NeuronModel neuron, INDArray gradSpikes, String when) {
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> neuron.backward(gradSpikes),
                () -> name() + ": backward must throw IllegalStateException " + when);
        assertNotNull(thrown.getMessage(), () -> name() + ": the IllegalStateException " + when + " has no message");
        assertFalse(thrown.getMessage().isBlank(), () -> name() + ": the IllegalStateException " + when
                + " has a blank message");
    }

    /** Random currents of shape {@code [steps * BATCH, sampleShape...]}. */
    private INDArray current(Random random, DataType type, int steps, long... sampleShape) {
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = (long) steps * BATCH;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return uniform(random, type, minCurrent(), maxCurrent(), shape);
    }

    private static INDArray uniform(Random random, DataType type, double low, double high, long... shape) {
        double[] values = new double[Math.toIntExact(Arrays.stream(shape).reduce(1, (x, y) -> x * y))];
        for (int i = 0; i < values.length; i++) {
            values[i] = low + random.nextDouble() * (high - low);
        }
        return Nd4j.createFromArray(values).reshape('c', shape).castTo(type);
    }

    private static Result run(NeuronModel neuron, INDArray current, int steps, INDArray gradSpikes) {
        INDArray spikes = neuron.forward(current, steps, true).dup();
        INDArray gradient = neuron.backward(gradSpikes).dup();
        return new Result(spikes, gradient);
    }

    /** Row {@code t*BATCH + i} of the result is row {@code t*BATCH + permutation[i]} of {@code array}. */
    private static INDArray permuteBatch(INDArray array, int[] permutation) {
        INDArray permuted = array.dup();
        long steps = array.size(0) / BATCH;
        for (long t = 0; t < steps; t++) {
            for (int i = 0; i < BATCH; i++) {
                permuted.get(NDArrayIndex.point(t * BATCH + i))
                        .assign(array.get(NDArrayIndex.point(t * BATCH + permutation[i])));
            }
        }
        return permuted;
    }

    private static INDArray firstSteps(INDArray array, int steps) {
        return array.get(NDArrayIndex.interval(0, (long) steps * BATCH));
    }

    /** The values of element (sample, feature) of a {@code [T*BATCH, features]} array over the steps. */
    private static double[] sequence(INDArray array, int steps, int sample, int feature) {
        double[] values = new double[steps];
        for (int t = 0; t < steps; t++) {
            values[t] = array.getDouble((long) t * BATCH + sample, feature);
        }
        return values;
    }

    private void assertSameValues(INDArray expected, INDArray actual, double tolerance, int steps, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), () -> name() + ": " + what + ": shapes differ");
        double[] e = flatten(expected);
        double[] a = flatten(actual);
        int perStep = e.length / steps;
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= tolerance * Math.max(1, Math.abs(e[i])))) {
                fail(name() + ": " + what + " differ at step " + i / perStep + ", element " + i % perStep
                        + ": expected " + e[i] + ", got " + a[i]);
            }
        }
    }

    private static double[] flatten(INDArray array) {
        return SurrogateFunctionContract.flatten(array);
    }

    private static final class Result {
        final INDArray spikes;
        final INDArray gradient;

        Result(INDArray spikes, INDArray gradient) {
            this.spikes = spikes;
            this.gradient = gradient;
        }
    }
}
