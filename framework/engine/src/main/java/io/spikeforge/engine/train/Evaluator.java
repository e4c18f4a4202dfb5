package io.spikeforge.engine.train;

import io.spikeforge.engine.data.Batch;
import io.spikeforge.engine.data.DataLoader;
import io.spikeforge.engine.data.EpochBatches;
import io.spikeforge.engine.energy.EnergyMeter;
import io.spikeforge.engine.energy.EnergyReport;
import io.spikeforge.engine.layer.SoftmaxCrossEntropy;
import io.spikeforge.engine.model.Model;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Measures a model on every image of a loader in evaluation mode (BN running statistics, nothing
 * kept for a backward pass): top-1 accuracy, mean cross-entropy, for a spiking model each spiking
 * layer's firing rate, the accuracy on each class, and the operations and energy per image where the model counts them
 * ({@link Model#energy()}).
 */
public final class Evaluator {
    private Evaluator() {
    }

    /**
     * Evaluates the model on one pass over the loader (epoch 0 of it: use an evaluation loader,
     * which neither shuffles nor augments).
     *
     * @param stopRequested checked before each batch; when it turns true the evaluation is abandoned
     * @return the result, or empty when stopped
     */
    public static Optional<EvaluationResult> evaluate(Model model, DataLoader images, BooleanSupplier stopRequested) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(stopRequested, "stopRequested");
        SoftmaxCrossEntropy crossEntropy = new SoftmaxCrossEntropy(model.dataType());
        double lossSum = 0;
        long correct = 0;
        int count = 0;
        long[] classCorrect = new long[model.classes()];
        long[] classImages = new long[model.classes()];
        Map<String, Double> firingSums = new LinkedHashMap<>();
        Optional<EnergyMeter> energy = model.energy();
        energy.ifPresent(EnergyMeter::start);
        try (EpochBatches batches = images.epoch(0)) {
            while (batches.hasNext()) {
                if (stopRequested.getAsBoolean()) {
                    return Optional.empty();
                }
                Batch batch = batches.next();
                INDArray logits = model.forward(batch.images(), false);
                int size = batch.size();
                lossSum += crossEntropy.forward(logits, batch.labels()) * size;
                long[] predicted = Predictions.classes(logits);
                int[] labels = batch.labels();
                for (int i = 0; i < size; i++) {
                    classImages[labels[i]]++;
                    if (predicted[i] == labels[i]) {
                        classCorrect[labels[i]]++;
                        correct++;
                    }
                }
                // each layer's rate covers the whole batch, so weighting by its size averages over images
                model.firingRates().forEach((layer, rate) -> firingSums.merge(layer, rate * size, Double::sum));
                count += size;
            }
        } finally {
            energy.ifPresent(EnergyMeter::stop);
        }
        if (count == 0) {
            throw new IllegalArgumentException("no images to evaluate on");
        }
        int total = count;
        Map<String, Double> firingRates = new LinkedHashMap<>();
        firingSums.forEach((layer, sum) -> firingRates.put(layer, sum / total));
        Optional<EnergyReport> report = energy.map(EnergyMeter::report);
        return Optional.of(new EvaluationResult((double) correct / count, lossSum / count, firingRates, count, report,
                Optional.of(new ClassAccuracy(classCorrect, classImages))));
    }
}
