package io.spikeforge.api.init;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an initialization strategy did: each student tensor it filled and from where, and each
 * student tensor it left to the model's own initialization, with the reason.
 *
 * @param transfers the filled tensors, in student order
 * @param untouched student tensor name to the reason it was left alone
 */
public record InitializationReport(List<TensorTransfer> transfers, Map<String, String> untouched) {
    public InitializationReport {
        transfers = List.copyOf(transfers);
        untouched = Collections.unmodifiableMap(new LinkedHashMap<>(untouched));
    }

    /** A human-readable table: one line per student tensor. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("transferred ").append(transfers.size()).append(" tensors, left ").append(untouched.size())
                .append(" to their own initialization\n");
        for (TensorTransfer t : transfers) {
            sb.append("  ").append(t).append('\n');
        }
        untouched.forEach((name, why) -> sb.append("  ").append(name).append(": not transferred (").append(why)
                .append(")\n"));
        return sb.toString();
    }

    /** Collects a report while a strategy runs. */
    public static final class Builder {
        private final List<TensorTransfer> transfers = new ArrayList<>();
        private final Map<String, String> untouched = new LinkedHashMap<>();

        public Builder transferred(TensorTransfer transfer) {
            transfers.add(Objects.requireNonNull(transfer));
            return this;
        }

        public Builder untouched(String studentTensor, String reason) {
            untouched.put(studentTensor, reason);
            return this;
        }

        public InitializationReport build() {
            return new InitializationReport(transfers, untouched);
        }
    }
}
