package io.spikeforge.cli;

import io.spikeforge.engine.data.GenerationProgress;
import io.spikeforge.engine.train.EpochResult;
import io.spikeforge.engine.train.EvaluationResult;
import io.spikeforge.engine.train.StepResult;
import io.spikeforge.engine.train.TrainingStart;
import io.spikeforge.runner.pipeline.ConversionResult;
import io.spikeforge.runner.pipeline.ConversionStage;
import io.spikeforge.runner.pipeline.RunInfo;
import io.spikeforge.runner.pipeline.RunListener;
import io.spikeforge.runner.pipeline.RunResult;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;

/**
 * What {@code spikeforge run} shows on standard error while it works: the run folder, one progress
 * bar per training (model, steps, rate, ETA, epoch, last loss, last test accuracy), one per stage of
 * a conversion (calibration by layer, evaluation and error analysis by batch) and a line for each
 * evaluation outside training.
 */
final class RunProgress implements RunListener, GenerationProgress {
    private final PrintWriter err;
    private ProgressBar bar;
    private ProgressBar generation;
    private ConversionStage conversionStage;
    private int epochs;
    private String lastAccuracy = "";

    RunProgress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void update(long imagesDone, long imagesTotal) {
        if (generation == null) {
            generation = ProgressBars.create("generating the synthetic data set", imagesTotal, " images", err);
        }
        generation.stepTo(imagesDone);
        if (imagesDone == imagesTotal) {
            generation.close();
        }
    }

    @Override
    public void onRunStart(RunInfo run) {
        line(String.format(Locale.ROOT, "run folder %s (%d training and %d test images, %d classes)", run.folder(),
                run.trainImages(), run.testImages(), run.classes()));
        run.resumedAt().ifPresent(at -> line("resuming: " + at));
    }

    @Override
    public void onTrainingStart(TrainingStart start) {
        closeBar();
        epochs = start.epochs();
        lastAccuracy = "";
        bar = ProgressBars.create(start.model(), start.remainingSteps(), " steps", err);
    }

    @Override
    public void onStep(StepResult step) {
        bar.step();
        bar.setExtraMessage(String.format(Locale.ROOT, " epoch %d/%d loss %.4f%s", step.epoch() + 1, epochs,
                step.loss(), lastAccuracy));
    }

    @Override
    public void onEpoch(EpochResult epoch) {
        lastAccuracy = String.format(Locale.ROOT, " test acc %.2f%%", 100 * epoch.evaluation().accuracy());
        bar.setExtraMessage(String.format(Locale.ROOT, " epoch %d/%d loss %.4f%s", epoch.epoch() + 1, epochs,
                epoch.trainLoss(), lastAccuracy));
        if (epoch.epoch() + 1 == epochs) {
            closeBar();
        }
    }

    @Override
    public void onEvaluation(String model, EvaluationResult evaluation) {
        line(String.format(Locale.ROOT, "%s before training: test accuracy %.2f%%, test loss %.4f", model,
                100 * evaluation.accuracy(), evaluation.loss()));
    }

    @Override
    public void onConversionProgress(String model, ConversionStage stage, int done, int total, String item) {
        if (stage != conversionStage || bar == null) {
            closeBar();
            conversionStage = stage;
            bar = ProgressBars.create(model + " " + stage.words(), Math.max(total, 0), " " + stage.units(), err);
        }
        bar.maxHint(Math.max(total, done));
        bar.stepTo(done);
        bar.setExtraMessage(" " + item);
        if (done == total) {
            closeBar();
        }
    }

    @Override
    public void onConversion(String model, ConversionResult result) {
        line(model + (result.calibrated() ? ": thresholds calibrated and saved in" : ": thresholds read back from")
                + " thresholds.safetensors");
    }

    @Override
    public void onRunEnd(RunResult result) {
        closeBar();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        conversionStage = null;
    }

    private void line(String text) {
        closeBar();
        err.println(text);
        err.flush();
    }
}
