package io.spikeforge.runner.pipeline;

import io.spikeforge.engine.model.Model;
import io.spikeforge.engine.train.EvaluationResult;
import io.spikeforge.engine.train.Evaluator;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * Evaluates a model whose weights were loaded (not trained) on the test set and saves it. Not
 * checkpointed: on {@code --resume} the evaluation recorded in a later model's checkpoint is used
 * instead of evaluating again.
 */
final class EvaluatePhase implements Phase {
    private final String model;
    private final Model network;
    private final int batchSize;
    private final String recordedBy;

    /**
     * @param model the model's name
     * @param network the loaded model
     * @param batchSize images per evaluation batch
     * @param recordedBy the model whose checkpoints record this one's evaluation (as its teacher's)
     */
    EvaluatePhase(String model, Model network, int batchSize, String recordedBy) {
        this.model = Objects.requireNonNull(model, "model");
        this.network = Objects.requireNonNull(network, "network");
        this.batchSize = batchSize;
        this.recordedBy = Objects.requireNonNull(recordedBy, "recordedBy");
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
        Optional<EvaluationResult> recorded = run.resumption().last(recordedBy)
                .flatMap(Checkpoints.Saved::teacherEvaluation);
        Optional<EvaluationResult> evaluation;
        if (recorded.isPresent()) {
            evaluation = recorded;
            run.record(model, recorded.get());
        } else {
            evaluation = Evaluator.evaluate(network, run.data().evaluation(batchSize), run.stopRequested());
            evaluation.ifPresent(e -> run.evaluated(model, e));
        }
        run.save(model, network);
        return evaluation.isPresent();
    }
}
