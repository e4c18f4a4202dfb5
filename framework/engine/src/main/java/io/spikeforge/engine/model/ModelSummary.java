package io.spikeforge.engine.model;

import io.spikeforge.engine.energy.EnergyMeter;
import io.spikeforge.engine.energy.OperationCounter;
import io.spikeforge.engine.layer.ActivationLayout;
import io.spikeforge.engine.layer.Layer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model's layers as {@code torchinfo.summary} lists them: each use of a leaf layer in forward order
 * with its output shape for one image, its trainable parameters and its multiply-accumulates (MACs),
 * and the totals. Made by one evaluation-mode forward pass of a zero image, whose operations the
 * model's own {@link EnergyMeter} counts: the MACs are those of the convolutions and linear layers
 * (BatchNorm, activations and pooling count none, as in the energy estimate), each counted as dense
 * arithmetic over every time-step a layer runs, whatever its input carries.
 *
 * <p>A layer applied more than once in a forward pass (torchvision's basic block has one {@code relu}
 * that acts after the first convolution and after the addition) has a row at each use, as in
 * torchinfo; the later ones are {@linkplain Row#repeated repeated} (torchinfo's "recursive"): their
 * MACs count, their parameters do not count again.
 *
 * @param architecture the model's short name
 * @param timeSteps T of a spiking model, 1 for an ANN
 * @param inputShape one image, {@code [channels, height, width]}
 * @param layers the uses of the leaf layers in forward order
 */
public record ModelSummary(String architecture, int timeSteps, long[] inputShape, List<Row> layers) {
    /**
     * One use of a leaf layer.
     *
     * @param name its full name, the prefix of its state-dict names ({@code layer1.0.conv1})
     * @param type its class, such as {@code Conv2d}
     * @param outputShape its output for one image: {@code [C, H, W]} or {@code [features]}; the rows
     *     of all time-steps of a spiking layer together are {@link #outputRows} of these
     * @param outputRows how many such outputs one image gives: T inside a spiking network, else 1
     * @param parameters the layer's trainable values
     * @param multiplyAccumulates MACs per image of this use
     * @param repeated whether an earlier row is a use of the same layer (the same instance, or the same
     *     full name, as torchvision's one {@code relu} per block): its parameters are counted there
     */
    public record Row(String name, String type, long[] outputShape, long outputRows, long parameters,
                      double multiplyAccumulates, boolean repeated) {
        public Row {
            outputShape = outputShape.clone();
        }
    }

    public ModelSummary {
        inputShape = inputShape.clone();
        layers = List.copyOf(layers);
    }

    /**
     * Summarizes a model for images of {@code height x width}.
     *
     * @throws IllegalArgumentException for a model not made of composed layers, or images it cannot take
     */
    public static ModelSummary of(Model model, int height, int width) {
        if (!(model instanceof ComposedModel)) {
            throw new IllegalArgumentException(model.architecture() + " is not made of composed layers");
        }
        EnergyMeter meter = model.energy().orElseThrow();
        LeafUses uses = new LeafUses(meter, ((ComposedModel) model).activationLayout());
        INDArray image = Nd4j.zeros(model.dataType(), 1, model.inputChannels(), height, width);
        Composite.OBSERVER.set(uses);
        meter.start();
        try {
            model.forward(image, false);
        } finally {
            meter.stop();
            Composite.OBSERVER.remove();
        }
        return new ModelSummary(model.architecture(), model.timeSteps(),
                new long[] {model.inputChannels(), height, width}, uses.rows);
    }

    /** A row for each leaf's forward pass, in order, while the meter counts. */
    private static final class LeafUses implements Composite.LeafObserver {
        private final EnergyMeter meter;
        private final ActivationLayout layout;
        private final List<Row> rows = new ArrayList<>();
        private final Set<Layer> seenLayers = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Set<String> seenNames = new HashSet<>();
        private double countedBefore;

        LeafUses(EnergyMeter meter, ActivationLayout layout) {
            this.meter = meter;
            this.layout = layout;
        }

        /** A leaf counts its MACs during its forward pass: this use's are the meter's growth since the last leaf. */
        @Override
        public void forwarded(String fullName, Layer layer, INDArray output) {
            double counted = meter.counters().stream().mapToDouble(OperationCounter::denseMultiplyAccumulates).sum();
            boolean firstUse = seenLayers.add(layer);
            firstUse &= seenNames.add(fullName);
            // maps are reported [C, H, W] whatever the layout the model computes in
            long[] shape = output.rank() == 4 ? layout.logicalShape(output.shape()) : output.shape();
            long parameters = layer.parameters().stream().mapToLong(p -> p.value().length()).sum();
            rows.add(new Row(fullName, layer.getClass().getSimpleName(), Arrays.copyOfRange(shape, 1, shape.length),
                    shape[0], parameters, counted - countedBefore, !firstUse));
            countedBefore = counted;
        }
    }

    /** Trainable values over all layers, each layer's once. */
    public long totalParameters() {
        return layers.stream().filter(row -> !row.repeated()).mapToLong(Row::parameters).sum();
    }

    /** MACs per image over all uses of all layers. */
    public double totalMultiplyAccumulates() {
        return layers.stream().mapToDouble(Row::multiplyAccumulates).sum();
    }
}
