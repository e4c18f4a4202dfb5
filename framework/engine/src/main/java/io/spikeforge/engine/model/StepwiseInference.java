package io.spikeforge.engine.model;

import io.spikeforge.engine.layer.Layer;
import io.spikeforge.engine.layer.SpikingActivation;
import io.spikeforge.engine.layer.TimeMean;
import io.spikeforge.engine.tensor.BufferCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The evaluation forward of a spiking {@link ComposedModel} run one time-step at a time on
 * {@code [B, ...]} tensors, so that memory does not grow with T: what conversion's evaluation does
 * for converted networks, for the trained spiking ResNets and VGGs. Its logits equal
 * {@link Model#forward} in evaluation mode up to the rounding of the time mean and of the folded
 * batch norm (see the tests).
 *
 * <p>The model's top-level layers fall into three runs. The layers before the first spiking one
 * see the same input at every step (direct encoding: the image is the current at every step), so
 * they run once per batch: the encoding stem's convolution on the images, and what follows it up to
 * the first neurons (in evaluation mode batch norm is a fixed affine map per element). The layers
 * from there up to the {@link TimeMean} run once per step, compiled into a {@link StepProgram}: the
 * spiking layers in their single-step mode ({@link SpikingActivation#startSteps}) writing their
 * spikes over their current, each batch norm folded into the convolution before it, every
 * activation in one pool of step buffers shared by all layers ({@link StepBuffers}), so that what
 * stays per layer between steps is the neurons' state alone; the step's output is added into a
 * running sum. The sum divided by T replaces the time mean, and the layers after it (the
 * classifier) run once on it. The folded batch norm rounds differently from the layers' own
 * forwards, within float precision.
 *
 * <p>A batch may be stepped in parts ({@link #of(Model, int)}): the T steps of its first rows,
 * then of the next, each part from the neurons' initial state, since every image's logits depend on
 * that image alone. What stays between steps (the neurons' state, the step buffers, the stem's
 * output) then scales with the part's rows instead of the batch's, at the price of more, smaller
 * operations. The logits equal the whole batch's up to the kernels' rounding for another batch
 * size; the firing rates count every row.
 *
 * <p>Buffers follow {@link Layer}: the returned logits are reused by the next call. The model's
 * energy meter counts these passes as evaluation forwards: the layers count per input row, and the
 * rows of the T steps are those of the all-T forward. The step buffers and the neurons' state are
 * kept from pass to pass while the part's rows stay the same (the state until the layers next run
 * all T steps). Not thread-safe, and not to be interleaved with the model's own forward passes: the
 * spiking layers step only inside {@link #forward}.
 */
public final class StepwiseInference {
    private final ComposedModel model;
    private final List<Child> once;
    private final List<Child> after;
    private final List<SpikingActivation> neurons;
    private final StepBuffers stepBuffers = new StepBuffers();
    private final StepProgram program;
    private final BufferCache buffers = new BufferCache();
    /** The most rows stepped at once. */
    private final int rowsPerPart;
    /** The rows of the parts the step buffers were made for, 0 before the first pass. */
    private long bufferRows;

    /** A top-level layer with its full name. */
    private record Child(String name, Layer layer) {
    }

    private StepwiseInference(ComposedModel model, List<Child> once, List<Child> perStep, List<Child> after,
                              List<SpikingActivation> neurons, int rowsPerPart) {
        this.model = model;
        this.rowsPerPart = rowsPerPart;
        this.once = once;
        this.after = after;
        this.neurons = neurons;
        this.program = StepProgram.compile(perStep.stream().map(Child::name).toList(),
                perStep.stream().map(Child::layer).toList(), stepBuffers);
    }

    /**
     * The stepwise inference of {@code model}, stepping each batch whole.
     *
     * @throws IllegalArgumentException when the model cannot step ({@link #unsupported}), with the reason
     */
    public static StepwiseInference of(Model model) {
        return of(model, Integer.MAX_VALUE);
    }

    /**
     * The stepwise inference of {@code model}, stepping a batch of more than {@code rowsPerPart}
     * rows in parts of equal size but the last, as few as hold every row.
     *
     * @param rowsPerPart the most rows stepped at once, positive
     * @throws IllegalArgumentException when the model cannot step ({@link #unsupported}), with the
     *     reason, or for rows that are not positive
     */
    public static StepwiseInference of(Model model, int rowsPerPart) {
        Objects.requireNonNull(model, "model");
        if (rowsPerPart < 1) {
            throw new IllegalArgumentException("rowsPerPart must be positive, got " + rowsPerPart);
        }
        Plan plan = plan(model, rowsPerPart);
        if (plan.reason != null) {
            throw new IllegalArgumentException(plan.reason);
        }
        return plan.inference;
    }

    /**
     * Why {@code model} cannot step through time, or empty when it can: it must be a spiking
     * {@link ComposedModel} whose neurons all have a single-step mode, with one {@link TimeMean} at
     * its top level and no spiking layer after it.
     */
    public static Optional<String> unsupported(Model model) {
        return Optional.ofNullable(plan(Objects.requireNonNull(model, "model"), Integer.MAX_VALUE).reason);
    }

    private record Plan(StepwiseInference inference, String reason) {
        static Plan not(Model model, String why) {
            return new Plan(null, model.architecture() + " cannot step through time: " + why);
        }
    }

    private static Plan plan(Model model, int rowsPerPart) {
        if (!model.spiking()) {
            return Plan.not(model, "it is not a spiking network");
        }
        if (!(model instanceof ComposedModel composed)) {
            return Plan.not(model, "it is not made of the engine's composed layers ("
                    + model.getClass().getName() + ")");
        }
        List<Child> children = new ArrayList<>();
        for (Sequential part : composed.parts()) {
            Composite.forEachNamed(part.childNames(), part.children(), (name, layer) -> children.add(new Child(name,
                    layer)));
        }
        int firstSpiking = -1;
        int mean = -1;
        List<SpikingActivation> neurons = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            Layer layer = children.get(i).layer();
            List<SpikingActivation> inside = spikingLayers(layer);
            if (!inside.isEmpty() && firstSpiking < 0) {
                firstSpiking = i;
            }
            if (mean >= 0 && !inside.isEmpty()) {
                return Plan.not(model, children.get(i).name() + " has spiking neurons after the time mean");
            }
            neurons.addAll(inside);
            if (layer instanceof TimeMean) {
                if (mean >= 0) {
                    return Plan.not(model, "it has two time means");
                }
                mean = i;
            } else if (layer instanceof Composite composite && composite.layers().values().stream()
                    .anyMatch(leaf -> leaf instanceof TimeMean || leaf instanceof DirectEncodingStem)) {
                return Plan.not(model, composite.name() + " holds a time mean or an encoding stem inside a block");
            }
        }
        if (firstSpiking < 0 || mean < firstSpiking) {
            return Plan.not(model, "it needs spiking neurons followed by a time mean at its top level");
        }
        for (int i = firstSpiking; i < mean; i++) {
            if (children.get(i).layer() instanceof DirectEncodingStem) {
                return Plan.not(model, children.get(i).name() + ": the encoding stem comes after spiking neurons");
            }
        }
        for (SpikingActivation neuron : neurons) {
            if (!neuron.stepsSingly()) {
                return Plan.not(model, "its neuron " + neuron.neuron().getClass().getName()
                        + " has no single-step mode (NeuronModel.startSteps)");
            }
        }
        return new Plan(new StepwiseInference(composed, List.copyOf(children.subList(0, firstSpiking)),
                List.copyOf(children.subList(firstSpiking, mean)), List.copyOf(children.subList(mean + 1,
                children.size())), List.copyOf(neurons), rowsPerPart), null);
    }

    private static List<SpikingActivation> spikingLayers(Layer layer) {
        if (layer instanceof SpikingActivation activation) {
            return List.of(activation);
        }
        if (layer instanceof Composite composite) {
            return composite.layers().values().stream().filter(SpikingActivation.class::isInstance)
                    .map(SpikingActivation.class::cast).toList();
        }
        return List.of();
    }

    /**
     * The logits of {@code images}, stepping through the model's T time-steps (in parts, where the
     * batch has more rows than a part).
     *
     * @param images {@code [B, inputChannels, H, W]} in the model's data type
     * @param countSpikes whether the spiking layers count their spikes for
     *     {@link Model#firingRates()} (a pass over every step's spikes); NaN rates otherwise
     * @param afterStep told the time-steps done in this pass after each, over all its parts: from 1
     *     to {@link #stepsPerPass} of the batch
     * @return {@code [B, classes]}, a buffer reused by the next call
     * @throws IllegalArgumentException for images the model does not take
     */
    public INDArray forward(INDArray images, boolean countSpikes, IntConsumer afterStep) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(afterStep, "afterStep");
        if (images.rank() != 4 || images.size(1) != model.inputChannels() || images.dataType() != model.dataType()) {
            throw new IllegalArgumentException(model.architecture() + " expects images [B, " + model.inputChannels()
                    + ", H, W] in " + model.dataType() + " but got " + Arrays.toString(images.shape()) + " in "
                    + images.dataType());
        }
        long batch = images.size(0);
        model.energy().ifPresent(meter -> meter.countImages(batch));
        INDArray inLayout = model.inActivationLayout(images);
        int parts = parts(batch);
        long rows = ceilDiv(batch, parts);
        program.refresh();
        neurons.forEach(neuron -> neuron.startSteps(countSpikes));
        try {
            if (parts == 1) {
                return stepRows(inLayout, 0, afterStep);
            }
            INDArray logits = null;
            for (int part = 0; part < parts; part++) {
                long from = part * rows;
                long to = Math.min(batch, from + rows);
                if (part > 0) {
                    neurons.forEach(SpikingActivation::restartSteps);
                }
                INDArray slice = inLayout.get(NDArrayIndex.interval(from, to), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.all());
                // the layers get a dense array of their own, as they would for a batch of these rows
                INDArray partImages = buffers.get("part images", slice.dataType(), slice.shape()).assign(slice);
                INDArray partLogits = stepRows(partImages, part * model.timeSteps(), afterStep);
                if (logits == null) {
                    long[] shape = partLogits.shape().clone();
                    shape[0] = batch;
                    logits = buffers.get("logits", partLogits.dataType(), shape);
                }
                logits.get(NDArrayIndex.interval(from, to)).assign(partLogits);
            }
            return logits;
        } finally {
            neurons.forEach(SpikingActivation::stopSteps);
        }
    }

    /**
     * How many time-steps a pass over {@code batch} rows takes: T per part.
     *
     * @throws IllegalArgumentException for a batch that is not positive
     */
    public long stepsPerPass(long batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be positive, got " + batch);
        }
        return (long) parts(batch) * model.timeSteps();
    }

    /** The most rows stepped at once. */
    public int rowsPerPart() {
        return rowsPerPart;
    }

    private int parts(long batch) {
        return Math.toIntExact(ceilDiv(batch, rowsPerPart));
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /**
     * The T steps of {@code rows} images (in the activation layout) from the neurons' state as it
     * is, with the step counts told starting after {@code stepsBefore}.
     */
    private INDArray stepRows(INDArray rows, int stepsBefore, IntConsumer afterStep) {
        if (rows.size(0) != bufferRows) {
            // buffers of another part size would only add to the peak
            stepBuffers.freeAll();
            bufferRows = rows.size(0);
        }
        INDArray constant = rows;
        for (Child child : once) {
            Layer layer = child.layer() instanceof DirectEncodingStem stem ? stem.convolution() : child.layer();
            constant = Composite.forward(child.name(), layer, constant, false);
        }
        int timeSteps = model.timeSteps();
        INDArray sum = null;
        try {
            for (int t = 0; t < timeSteps; t++) {
                INDArray x = program.step(constant);
                if (sum == null) {
                    sum = buffers.get("sum", x.dataType(), x.shape()).assign(x);
                } else {
                    sum.addi(x);
                }
                program.endStep();
                afterStep.accept(stepsBefore + t + 1);
            }
        } finally {
            program.endStep();
        }
        INDArray x = sum.divi(timeSteps);
        for (Child child : after) {
            x = Composite.forward(child.name(), child.layer(), x, false);
        }
        return x;
    }

    /** Bytes of the step buffers the layers share, held now (for tests). */
    long stepBufferBytes() {
        return stepBuffers.allocatedBytes();
    }

    /** The model it runs. */
    public Model model() {
        return model;
    }
}
