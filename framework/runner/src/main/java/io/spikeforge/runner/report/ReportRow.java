package io.spikeforge.runner.report;

import io.spikeforge.runner.sweep.ArmState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One row of a report: one arm, or the finished arms of a group that differ only in the seed,
 * their numbers as mean and standard deviation over the arms (accuracies in percent).
 *
 * @param label the arm's name, or the group's (the arms' names without their seed)
 * @param state the arms' state (every arm of a group of several has finished)
 * @param overrides the overrides the row's arms share, {@code key=value} separated by spaces
 * @param model the reported model(s), comma-separated when arms differ
 * @param curve the mean test accuracy and loss per epoch over the arms, with their standard deviations
 * @param targetEpoch the first epoch of the mean curve reaching the target accuracy, if asked and reached
 * @param convergenceEpoch the first epoch of the mean curve reaching the baseline's final accuracy,
 *     if asked and reached
 * @param convergenceRatio {@code convergenceEpoch} divided by the baseline's own, if both are known
 */
record ReportRow(String label, ArmState state, List<ArmResult> arms, String overrides, String model,
                 Stat lastEpoch, Stat finalAccuracy, Stat bestAccuracy, Stat trainSeconds, Stat firingRate,
                 Stat energyPicojoules, Map<Integer, Stat> convertedAccuracy, MeanCurve curve,
                 Optional<Integer> targetEpoch, Optional<Integer> convergenceEpoch, OptionalDouble convergenceRatio) {

    /** The mean curves over a row's arms and their sample standard deviations (NaN for one arm). */
    record MeanCurve(ArmResult.Curve mean, List<Double> accuracyStd, List<Double> lossStd) {
        static MeanCurve of(List<ArmResult> arms) {
            TreeSet<Integer> epochs = new TreeSet<>();
            arms.forEach(arm -> epochs.addAll(arm.curve().epochs()));
            List<Double> accuracy = new ArrayList<>();
            List<Double> accuracyStd = new ArrayList<>();
            List<Double> loss = new ArrayList<>();
            List<Double> lossStd = new ArrayList<>();
            for (int epoch : epochs) {
                List<Double> accuracies = new ArrayList<>();
                List<Double> losses = new ArrayList<>();
                for (ArmResult arm : arms) {
                    int i = arm.curve().epochs().indexOf(epoch);
                    if (i >= 0) {
                        accuracies.add(arm.curve().accuracy().get(i));
                        losses.add(arm.curve().loss().get(i));
                    }
                }
                Stat a = Stat.of(accuracies);
                Stat l = Stat.of(losses);
                accuracy.add(a.mean());
                accuracyStd.add(a.std());
                loss.add(l.mean());
                lossStd.add(l.std());
            }
            return new MeanCurve(new ArmResult.Curve(List.copyOf(epochs), accuracy, loss), accuracyStd, lossStd);
        }
    }

    /** The row of {@code arms}, without target or convergence epochs. */
    static ReportRow of(String label, ArmState state, List<ArmResult> arms, String overrides) {
        String model = arms.stream().map(arm -> arm.model().orElse("")).filter(m -> !m.isEmpty()).distinct()
                .collect(Collectors.joining(","));
        Map<Integer, Stat> converted = new TreeMap<>();
        TreeSet<Integer> timeSteps = new TreeSet<>();
        arms.forEach(arm -> timeSteps.addAll(arm.convertedAccuracy().keySet()));
        for (int t : timeSteps) {
            converted.put(t, Stat.of(arms.stream().map(arm -> arm.convertedAccuracy().getOrDefault(t, Double.NaN))
                    .toList()));
        }
        return new ReportRow(label, state, List.copyOf(arms), overrides, model, stat(arms, ArmResult::lastEpoch),
                stat(arms, ArmResult::finalAccuracy), stat(arms, ArmResult::bestAccuracy),
                stat(arms, ArmResult::trainSeconds), stat(arms, ArmResult::firingRate),
                stat(arms, ArmResult::energyPicojoules), converted, MeanCurve.of(arms), Optional.empty(),
                Optional.empty(), OptionalDouble.empty());
    }

    private static Stat stat(List<ArmResult> arms, Function<ArmResult, Double> value) {
        return Stat.of(arms.stream().map(value).toList());
    }

    /** This row with the epochs that reach {@code target} and the baseline's final accuracy. */
    ReportRow withEpochs(OptionalDouble target, Optional<ReportRow> baseline) {
        Optional<Integer> toTarget = target.isPresent()
                ? curve.mean().firstEpochReaching(target.getAsDouble()) : Optional.empty();
        Optional<Integer> toBaseline = Optional.empty();
        OptionalDouble ratio = OptionalDouble.empty();
        if (baseline.isPresent()) {
            double threshold = baseline.get().finalAccuracy().mean();
            toBaseline = curve.mean().firstEpochReaching(threshold);
            Optional<Integer> baselineEpoch = baseline.get().curve().mean().firstEpochReaching(threshold);
            if (toBaseline.isPresent() && baselineEpoch.isPresent() && baselineEpoch.get() > 0) {
                ratio = OptionalDouble.of(toBaseline.get() / (double) baselineEpoch.get());
            }
        }
        return new ReportRow(label, state, arms, overrides, model, lastEpoch, finalAccuracy, bestAccuracy,
                trainSeconds, firingRate, energyPicojoules, convertedAccuracy, curve, toTarget, toBaseline, ratio);
    }
}
