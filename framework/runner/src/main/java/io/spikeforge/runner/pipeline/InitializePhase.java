package io.spikeforge.runner.pipeline;

import io.spikeforge.api.init.InitializationReport;
import io.spikeforge.api.init.InitializationStrategy;
import io.spikeforge.engine.model.Model;
import io.spikeforge.engine.train.EvaluationResult;
import io.spikeforge.engine.train.Evaluator;
import io.spikeforge.runner.config.ComponentSlot;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * Initializes a model from another's weights with an initialization strategy (or keeps its random
 * weights without one), writes {@code init-report.txt}, and evaluates the result (the model's
 * epoch-0 metrics row). Not checkpointed: on {@code --resume} it is skipped once the model has a
 * checkpoint, which holds the initialized and trained weights.
 */
final class InitializePhase implements Phase {
    /**
     * A strategy and the slot it was configured in.
     *
     * @param slot the {@code initialization} slot, for the report
     * @param strategy the created strategy
     */
    record Initialization(ComponentSlot slot, InitializationStrategy strategy) {
    }

    private final String model;
    private final Model network;
    private final Model source;
    private final Optional<Initialization> initialization;
    private final int batchSize;

    /**
     * @param model the initialized model's name
     * @param network the model initialized
     * @param source the model whose weights it is initialized from
     * @param initialization the strategy; empty keeps the random weights
     * @param batchSize images per evaluation batch
     */
    InitializePhase(String model, Model network, Model source, Optional<Initialization> initialization,
                    int batchSize) {
        this.model = Objects.requireNonNull(model, "model");
        this.network = Objects.requireNonNull(network, "network");
        this.source = Objects.requireNonNull(source, "source");
        this.initialization = Objects.requireNonNull(initialization, "initialization");
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
        if (run.resumption().last(model).isPresent()) {
            return true;
        }
        initialize(run.folder());
        Optional<EvaluationResult> initial = Evaluator.evaluate(network, run.data().evaluation(batchSize),
                run.stopRequested());
        if (initial.isEmpty()) {
            run.save(model, network);
            return false;
        }
        run.evaluated(model, initial.get());
        return true;
    }

    private void initialize(RunFolder folder) throws IOException {
        if (initialization.isEmpty()) {
            folder.write(RunFolder.INIT_REPORT, "initialization: none; the student keeps its random initial"
                    + " weights\n");
            return;
        }
        ComponentSlot slot = initialization.get().slot();
        InitializationReport report;
        try {
            report = initialization.get().strategy()
                    .initialize(source.structure(), source.stateDict(), network.structure(), network.stateDict());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("initialization " + slot.id() + " cannot map the teacher onto"
                    + " the student: " + e.getMessage(), e);
        }
        folder.write(RunFolder.INIT_REPORT, "initialization: " + slot.id() + " "
                + slot.parameters().asMap() + "\nteacher: " + source.architecture() + ", student: "
                + network.architecture() + "\n" + report.toText());
    }
}
