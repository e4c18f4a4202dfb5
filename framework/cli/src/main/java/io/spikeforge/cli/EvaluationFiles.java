package io.spikeforge.cli;

import io.spikeforge.engine.energy.LayerOperations;
import io.spikeforge.engine.train.EvaluationResult;
import io.spikeforge.runner.pipeline.ModelEvaluation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code spikeforge eval --output}: an evaluation as JSON (one object) or as CSV (one row per
 * measure: {@code measure,scope,value}, where scope is a class, a layer or {@code all}).
 */
final class EvaluationFiles {
    private EvaluationFiles() {
    }

    static String json(ModelEvaluation.Evaluated evaluated) {
        EvaluationResult result = evaluated.result();
        StringBuilder json = new StringBuilder("{\n");
        field(json, "model", string(evaluated.section().name()));
        field(json, "architecture", string(evaluated.model().architecture()));
        field(json, "spiking", Boolean.toString(evaluated.model().spiking()));
        field(json, "time_steps", Integer.toString(evaluated.model().timeSteps()));
        field(json, "weights", string(evaluated.weights().toString()));
        field(json, "images", Integer.toString(result.images()));
        result.perClass().ifPresent(c -> field(json, "correct", Long.toString(c.totalCorrect())));
        field(json, "accuracy", number(result.accuracy()));
        field(json, "loss", number(result.loss()));
        result.perClass().ifPresent(perClass -> {
            List<String> classes = new ArrayList<>();
            for (int c = 0; c < perClass.classes(); c++) {
                classes.add("{\"class\": " + c + ", \"images\": " + perClass.images(c) + ", \"correct\": "
                        + perClass.correct(c) + ", \"accuracy\": " + number(perClass.accuracy(c)) + "}");
            }
            field(json, "per_class", list(classes));
        });
        List<String> rates = new ArrayList<>();
        result.firingRates().forEach((layer, rate) -> rates.add("{\"layer\": " + string(layer) + ", \"firing_rate\": "
                + number(rate) + "}"));
        field(json, "firing_rates", list(rates));
        result.energy().ifPresent(energy -> {
            field(json, "synaptic_ops", number(energy.accumulates()));
            field(json, "macs", number(energy.multiplyAccumulates()));
            field(json, "energy_mj", number(energy.millijoules()));
            List<String> layers = new ArrayList<>();
            for (LayerOperations layer : energy.layers()) {
                layers.add("{\"layer\": " + string(layer.layer()) + ", \"synaptic_ops\": " + number(layer.accumulates())
                        + ", \"macs\": " + number(layer.multiplyAccumulates()) + ", \"energy_pj\": "
                        + number(layer.picojoules()) + "}");
            }
            field(json, "layers", list(layers));
        });
        json.setLength(json.length() - 2); // the last field's ",\n"
        return json.append("\n}\n").toString();
    }

    static String csv(ModelEvaluation.Evaluated evaluated) {
        EvaluationResult result = evaluated.result();
        StringBuilder csv = new StringBuilder("measure,scope,value\n");
        row(csv, "images", "all", Integer.toString(result.images()));
        result.perClass().ifPresent(c -> row(csv, "correct", "all", Long.toString(c.totalCorrect())));
        row(csv, "accuracy", "all", number(result.accuracy()));
        row(csv, "loss", "all", number(result.loss()));
        result.perClass().ifPresent(perClass -> {
            for (int c = 0; c < perClass.classes(); c++) {
                row(csv, "class_images", "class " + c, Long.toString(perClass.images(c)));
                row(csv, "class_correct", "class " + c, Long.toString(perClass.correct(c)));
                row(csv, "class_accuracy", "class " + c, number(perClass.accuracy(c)));
            }
        });
        for (Map.Entry<String, Double> rate : result.firingRates().entrySet()) {
            row(csv, "firing_rate", rate.getKey(), number(rate.getValue()));
        }
        result.energy().ifPresent(energy -> {
            row(csv, "synaptic_ops", "all", number(energy.accumulates()));
            row(csv, "macs", "all", number(energy.multiplyAccumulates()));
            row(csv, "energy_mj", "all", number(energy.millijoules()));
            for (LayerOperations layer : energy.layers()) {
                row(csv, "synaptic_ops", layer.layer(), number(layer.accumulates()));
                row(csv, "macs", layer.layer(), number(layer.multiplyAccumulates()));
                row(csv, "energy_pj", layer.layer(), number(layer.picojoules()));
            }
        });
        return csv.toString();
    }

    private static void row(StringBuilder csv, String measure, String scope, String value) {
        csv.append(measure).append(',').append(scope).append(',').append(value).append('\n');
    }

    private static void field(StringBuilder json, String name, String value) {
        json.append("  ").append(string(name)).append(": ").append(value).append(",\n");
    }

    private static String list(List<String> items) {
        return items.isEmpty() ? "[]" : "[\n    " + String.join(",\n    ", items) + "\n  ]";
    }

    /** A JSON number; NaN (a class without images) as null, which JSON has instead. */
    private static String number(double value) {
        return Double.isFinite(value) ? Double.toString(value) : "null";
    }

    private static String string(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                default -> {
                    if (ch < 0x20) {
                        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        quoted.append(ch);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
