package io.spikeforge.runner.pipeline;

import io.spikeforge.api.convert.ThresholdStrategy;
import io.spikeforge.engine.convert.Conversion;
import io.spikeforge.engine.convert.ConversionErrorRow;
import io.spikeforge.engine.convert.ConversionEvaluation;
import io.spikeforge.engine.convert.ConversionProgress;
import io.spikeforge.engine.convert.SpikingConversion;
import io.spikeforge.engine.data.Batch;
import io.spikeforge.engine.data.DataLoader;
import io.spikeforge.engine.data.EpochBatches;
import io.spikeforge.engine.model.Model;
import io.spikeforge.engine.train.EvaluationResult;
import io.spikeforge.runner.config.ComponentSlot;
import io.spikeforge.runner.config.ConversionConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Converts the ANN that the phase before it trained or loaded, evaluates the spiking network over
 * time-steps and analyses its errors. Not checkpointed; instead, its thresholds (the one result of
 * calibration) are saved to {@value RunFolder#THRESHOLDS} as soon as they are chosen, and a resumed
 * run reads them back rather than calibrating again: the evaluation and analysis that follow are
 * deterministic, so they give the numbers of an uninterrupted run. Writes
 * {@code accuracy-vs-timesteps.csv}/{@code .png}, {@code conversion-errors.csv}/{@code .png},
 * {@code current-variance.png} and {@code energy.csv} ({@link ConversionFiles}, {@link ConversionPlots}).
 */
final class ConvertPhase implements Phase {
    private final String model;
    private final Model ann;
    private final ComponentSlot thresholds;
    private final ThresholdStrategy strategy;
    private final ConversionConfig conversion;
    private final int batchSize;

    /**
     * @param model the converted network's name
     * @param ann the ANN, trained or loaded by the phase before
     * @param thresholds the threshold strategy's slot, for messages
     * @param strategy the threshold strategy, created from that slot
     * @param conversion the settings
     * @param batchSize images per calibration, evaluation and analysis batch
     */
    ConvertPhase(String model, Model ann, ComponentSlot thresholds, ThresholdStrategy strategy,
                 ConversionConfig conversion, int batchSize) {
        this.model = Objects.requireNonNull(model, "model");
        this.ann = Objects.requireNonNull(ann, "ann");
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.conversion = Objects.requireNonNull(conversion, "conversion");
        this.batchSize = batchSize;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public boolean checkpointed() {
        return false;
    }

    @Override
    public boolean run(RunState run) throws IOException {
        BooleanSupplier stop = run.stopRequested();
        if (stop.getAsBoolean()) {
            return false;
        }
        Conversion folded = Conversion.of(ann);
        Path saved = run.folder().file(RunFolder.THRESHOLDS);
        boolean calibrated = !Files.isRegularFile(saved);
        SpikingConversion snn = calibrated ? calibrate(run, folded, saved) : reload(folded, saved);
        if (stop.getAsBoolean()) {
            return false;
        }
        Optional<ConversionEvaluation> evaluation = evaluate(run, snn);
        if (evaluation.isEmpty()) {
            return false;
        }
        Optional<List<ConversionErrorRow>> errors = analyse(run, snn);
        if (errors.isEmpty()) {
            return false;
        }
        ConversionResult result = new ConversionResult(evaluation.get(), errors.get(), calibrated);
        ConversionFiles.write(run.folder(), result);
        ConversionPlots.write(run.folder(), result);
        run.record(model, new EvaluationResult(result.evaluation().accuracy().get(result.maxTimeSteps()), Double.NaN,
                result.evaluation().firingRates(), result.evaluation().images(),
                Optional.ofNullable(result.evaluation().energy().get(result.maxTimeSteps()))));
        run.listeners().forEach(l -> l.onConversion(model, result));
        return true;
    }

    /** Chooses the thresholds layer by layer on the first calibration batches and saves them at once. */
    private SpikingConversion calibrate(RunState run, Conversion folded, Path saved) throws IOException {
        DataLoader loader = run.data().calibration(batchSize);
        List<INDArray> batches = new ArrayList<>();
        try (EpochBatches epoch = loader.epoch(0)) {
            while (epoch.hasNext() && batches.size() < conversion.calibrationBatches()) {
                batches.add(epoch.next().images());
            }
        }
        int sites = folded.sites(conversion.placement()).size();
        SpikingConversion snn;
        try {
            snn = folded.convert(conversion.settings(), strategy, batches,
                    progress(run, ConversionStage.CALIBRATION, sites));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("conversion.thresholds: " + thresholds.describe() + ": "
                    + e.getMessage(), e);
        }
        snn.save(saved);
        return snn;
    }

    /** The thresholds a run calibrated before it was stopped or killed, with the settings they were made with. */
    private SpikingConversion reload(Conversion folded, Path saved) throws IOException {
        SpikingConversion snn = folded.load(saved);
        if (!snn.settings().equals(conversion.settings())) {
            throw new IllegalStateException(saved + " holds thresholds calibrated with other settings ("
                    + snn.settings() + ") than the run's conversion section (" + conversion.settings() + ")");
        }
        return snn;
    }

    /** The test set in one pass up to the largest T; empty when a stop request cut it short. */
    private Optional<ConversionEvaluation> evaluate(RunState run, SpikingConversion snn) {
        DataLoader test = run.data().evaluation(batchSize);
        ConversionEvaluation evaluation;
        try (EpochBatches epoch = test.epoch(0)) {
            evaluation = snn.evaluate(untilStopped(epoch, run.stopRequested()), ints(conversion.timeSteps()),
                    progress(run, ConversionStage.EVALUATION, test.batchesPerEpoch()));
        }
        return run.stopRequested().getAsBoolean() ? Optional.empty() : Optional.of(evaluation);
    }

    /**
     * The error analysis on the first {@code analysis.images} test images, batch by batch: each
     * row's quantities are means over the layer's neurons and the images, so a batch's means
     * weighted by its images give those of all images. Empty when a stop request cut it short.
     */
    private Optional<List<ConversionErrorRow>> analyse(RunState run, SpikingConversion snn) {
        DataLoader test = run.data().evaluation(batchSize);
        int wanted = Math.min(conversion.analysis().images(), test.images().size());
        int total = (wanted + batchSize - 1) / batchSize;
        int[] timeSteps = ints(conversion.analysis().timeSteps(conversion));
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, ConversionErrorRow> first = new LinkedHashMap<>();
        int images = 0;
        int done = 0;
        try (EpochBatches epoch = test.epoch(0)) {
            while (images < wanted && epoch.hasNext()) {
                if (run.stopRequested().getAsBoolean()) {
                    return Optional.empty();
                }
                INDArray batch = epoch.next().images();
                int take = (int) Math.min(batch.size(0), wanted - images);
                if (take < batch.size(0)) {
                    batch = batch.get(NDArrayIndex.interval(0, take), NDArrayIndex.all(), NDArrayIndex.all(),
                            NDArrayIndex.all()).dup();
                }
                for (ConversionErrorRow row : snn.analyseErrors(List.of(batch), timeSteps)) {
                    String key = row.timeSteps() + "/" + row.layer();
                    first.putIfAbsent(key, row);
                    double[] sum = sums.computeIfAbsent(key, k -> new double[5]);
                    sum[0] += take * row.quantizationError();
                    sum[1] += take * row.deviationError();
                    sum[2] += take * row.inputMean();
                    sum[3] += take * row.inputVariance();
                    sum[4] += take * row.firingRate();
                }
                images += take;
                done++;
                for (RunListener listener : run.listeners()) {
                    listener.onConversionProgress(model, ConversionStage.ANALYSIS, done, total, "batch " + done);
                }
            }
        }
        List<ConversionErrorRow> rows = new ArrayList<>();
        for (Map.Entry<String, ConversionErrorRow> entry : first.entrySet()) {
            ConversionErrorRow row = entry.getValue();
            double[] sum = sums.get(entry.getKey());
            rows.add(new ConversionErrorRow(row.timeSteps(), row.layer(), sum[0] / images, sum[1] / images,
                    sum[2] / images, sum[3] / images, row.meanThreshold(), sum[4] / images));
        }
        return Optional.of(rows);
    }

    /** Tells the listeners of each unit done, with the total where the engine does not know it. */
    private ConversionProgress progress(RunState run, ConversionStage stage, int total) {
        return (done, engineTotal, item) -> {
            for (RunListener listener : run.listeners()) {
                listener.onConversionProgress(model, stage, done, engineTotal >= 0 ? engineTotal : total, item);
            }
        };
    }

    /** The batches until a stop is requested: the engine's evaluation then ends after the batch in hand. */
    private static Iterator<Batch> untilStopped(Iterator<Batch> batches, BooleanSupplier stop) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !stop.getAsBoolean() && batches.hasNext();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batches.next();
            }
        };
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
