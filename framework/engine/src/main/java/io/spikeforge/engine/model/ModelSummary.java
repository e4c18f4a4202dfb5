package io.spikeforge.engine.model;

import io.spikeforge.engine.energy.EnergyMeter;
import io.spikeforge.engine.energy.OperationCounter;
import io.spikeforge.engine.layer.Layer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model's layers as {@code torchinfo.summary} lists them: each leaf layer in forward order with its
 * output shape for one image, its trainable parameters and its multiply-accumulates (MACs), and the
 * totals. Made by one evaluation-mode forward pass of a zero image, whose operations the model's own
 * {@link EnergyMeter} counts: the MACs are those of the convolutions and linear layers (BatchNorm,
 * activations and pooling count none, as in the energy estimate), each counted as dense arithmetic
 * over every time-step a layer runs, whatever its input carries.
 *
 * @param architecture the model's short name
 * @param timeSteps T of a spiking model, 1 for an ANN
 * @param inputShape one image, {@code [channels, height, width]}
 * @param layers the leaf layers in forward order
 */
public record ModelSummary(String architecture, int timeSteps, long[] inputShape, List<Row> layers) {
    /**
     * One leaf layer.
     *
     * @param name its full name, the prefix of its state-dict names ({@code layer1.0.conv1})
     * @param type its class, such as {@code Conv2d}
     * @param outputShape its output for one image: {@code [C, H, W]} or {@code [features]}; the rows
     *     of all time-steps of a spiking layer together are {@link #outputRows} of these
     * @param outputRows how many such outputs one image gives: T inside a spiking network, else 1
     * @param parameters trainable values
     * @param multiplyAccumulates MACs per image
     */
    public record Row(String name, String type, long[] outputShape, long outputRows, long parameters,
                      double multiplyAccumulates) {
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
        Map<String, Row> rows = new LinkedHashMap<>();
        INDArray image = Nd4j.zeros(model.dataType(), 1, model.inputChannels(), height, width);
        Composite.OBSERVER.set((fullName, layer, output) -> rows.computeIfAbsent(fullName,
                name -> row(name, layer, output)));
        meter.start();
        try {
            model.forward(image, false);
        } finally {
            meter.stop();
            Composite.OBSERVER.remove();
        }
        Map<String, Double> macs = new HashMap<>();
        for (OperationCounter counter : meter.counters()) {
            macs.put(counter.layer(), counter.denseMultiplyAccumulates());
        }
        List<Row> layers = new ArrayList<>();
        for (Row row : rows.values()) {
            layers.add(new Row(row.name(), row.type(), row.outputShape(), row.outputRows(), row.parameters(),
                    macs.getOrDefault(row.name(), 0.0)));
        }
        return new ModelSummary(model.architecture(), model.timeSteps(),
                new long[] {model.inputChannels(), height, width}, layers);
    }

    private static Row row(String name, Layer layer, INDArray output) {
        long[] shape = output.shape();
        long count = layer.parameters().stream().mapToLong(p -> p.value().length()).sum();
        return new Row(name, layer.getClass().getSimpleName(), Arrays.copyOfRange(shape, 1, shape.length),
                shape[0], count, 0);
    }

    /** Trainable values over all layers. */
    public long totalParameters() {
        return layers.stream().mapToLong(Row::parameters).sum();
    }

    /** MACs per image over all layers. */
    public double totalMultiplyAccumulates() {
        return layers.stream().mapToDouble(Row::multiplyAccumulates).sum();
    }
}
