package io.spikeforge.runner.report;

import io.spikeforge.runner.pipeline.ExperimentPipeline;
import io.spikeforge.runner.pipeline.MetricsCsv;
import io.spikeforge.runner.pipeline.RecordedRun;
import io.spikeforge.runner.pipeline.RunFolder;
import io.spikeforge.runner.sweep.Arm;
import io.spikeforge.runner.sweep.ArmState;
import io.spikeforge.runner.sweep.SweepFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one arm's run folder holds so far for the reported model; accuracies in percent.
 *
 * @param state the run folder's status when it has one (the truth), else the index's snapshot
 * @param model the reported model; empty when the run has recorded none yet
 * @param curve the model's test accuracy and loss per epoch, epoch 0 an evaluation before training
 * @param trainSeconds the model's epochs' wall times added up; NaN when the run recorded none or
 *     not all of them
 * @param firingRate the model's mean firing rate at its last evaluation; NaN for an ANN
 * @param energyPicojoules the model's energy per test image; NaN when not measured
 * @param convertedAccuracy a convert run's converted network's accuracy by T
 */
record ArmResult(Arm arm, ArmState state, Optional<String> model, Curve curve, double trainSeconds,
                 double firingRate, double energyPicojoules, Map<Integer, Double> convertedAccuracy) {

    /** Test accuracy (percent) and loss by epoch, epochs ascending. */
    record Curve(List<Integer> epochs, List<Double> accuracy, List<Double> loss) {
        static final Curve EMPTY = new Curve(List.of(), List.of(), List.of());

        boolean isEmpty() {
            return epochs.isEmpty();
        }

        /** The first epoch whose accuracy reaches {@code percent}, if any. */
        Optional<Integer> firstEpochReaching(double percent) {
            for (int i = 0; i < epochs.size(); i++) {
                if (accuracy.get(i) >= percent) {
                    return Optional.of(epochs.get(i));
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Reads an arm's run folder; an arm whose folder is missing or not yet a run folder has its
     * index state and nothing else.
     *
     * @param model the model to report, or empty for the run's main model
     */
    static ArmResult read(SweepFolder sweep, SweepFolder.IndexRow row, Optional<String> model) throws IOException {
        Path folder = sweep.armFolder(row.arm());
        if (RunFolder.whyNotARunFolder(folder).isPresent()) {
            return new ArmResult(row.arm(), row.state(), model, Curve.EMPTY, Double.NaN, Double.NaN, Double.NaN,
                    Map.of());
        }
        RecordedRun run = RecordedRun.read(folder);
        ArmState state = ArmState.ofWord(run.statusWord()).orElse(row.state());
        Optional<String> reported = model.isPresent() ? model : run.mainModel();
        if (reported.isEmpty()) {
            return new ArmResult(row.arm(), state, reported, Curve.EMPTY, Double.NaN, Double.NaN, Double.NaN,
                    Map.of());
        }
        List<MetricsCsv.Row> rows = run.metricsOf(reported.get());
        // one point per epoch, the last row of it should a file hold one twice
        TreeMap<Integer, MetricsCsv.Row> byEpoch = new TreeMap<>();
        rows.forEach(r -> byEpoch.put(r.epoch(), r));
        List<Integer> epochs = new ArrayList<>(byEpoch.keySet());
        List<Double> accuracy = new ArrayList<>();
        List<Double> loss = new ArrayList<>();
        double seconds = byEpoch.isEmpty() ? Double.NaN : 0;
        for (MetricsCsv.Row r : byEpoch.values()) {
            accuracy.add(100 * r.testAccuracy());
            loss.add(r.testLoss());
            if (r.epoch() > 0) {
                seconds += r.epochSeconds();
            }
        }
        double firingRate = byEpoch.isEmpty() ? Double.NaN : byEpoch.lastEntry().getValue().meanFiringRate();
        boolean converted = reported.get().equals(ExperimentPipeline.SNN);
        Map<Integer, Double> convertedAccuracy = new TreeMap<>();
        if (converted) {
            run.convertedAccuracy().forEach((t, a) -> convertedAccuracy.put(t, 100 * a));
        }
        return new ArmResult(row.arm(), state, reported, new Curve(epochs, accuracy, loss), seconds, firingRate,
                run.energyPicojoules().getOrDefault(reported.get(), Double.NaN), convertedAccuracy);
    }

    /** The test accuracy at the last epoch, or of the converted network at its largest T; NaN when none yet. */
    double finalAccuracy() {
        if (!convertedAccuracy.isEmpty()) {
            return convertedAccuracy.get(Collections.max(convertedAccuracy.keySet()));
        }
        return curve.isEmpty() ? Double.NaN : curve.accuracy().get(curve.accuracy().size() - 1);
    }

    /** The best test accuracy of any epoch (or any T); NaN when none yet. */
    double bestAccuracy() {
        List<Double> values = convertedAccuracy.isEmpty() ? curve.accuracy() : List.copyOf(convertedAccuracy.values());
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** The last epoch recorded; NaN when none. */
    double lastEpoch() {
        return curve.isEmpty() ? Double.NaN : curve.epochs().get(curve.epochs().size() - 1);
    }
}
