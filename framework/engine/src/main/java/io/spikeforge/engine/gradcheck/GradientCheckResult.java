package io.spikeforge.engine.gradcheck;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of a {@link GradientCheck}: one entry per checked tensor (each input, then each
 * parameter).
 *
 * @param tensors per-tensor results in check order
 */
public record GradientCheckResult(List<TensorResult> tensors) {
    public GradientCheckResult {
        tensors = List.copyOf(tensors);
    }

    /** True when every checked entry of every tensor agreed. */
    public boolean passed() {
        return tensors.stream().allMatch(TensorResult::passed);
    }

    /** One line per tensor, for assertion messages. */
    public String summary() {
        return tensors.stream().map(TensorResult::toString).collect(Collectors.joining("\n"));
    }

    @Override
    public String toString() {
        return summary();
    }

    /**
     * The comparison for one tensor.
     *
     * @param name {@code input0}, {@code input1}, ... or the parameter's name
     * @param checkedEntries how many entries were compared
     * @param failedEntries how many of them disagreed
     * @param maxRelativeError the largest relative error among entries above the absolute floor
     *     (0 when all differences were below it)
     * @param worstEntry the entry with that error: index, analytic and numerical value
     */
    public record TensorResult(String name, int checkedEntries, int failedEntries, double maxRelativeError,
            String worstEntry) {
        public boolean passed() {
            return failedEntries == 0;
        }

        @Override
        public String toString() {
            return String.format("%s: %s, %d of %d entries failed, max relative error %.3g%s", name,
                    passed() ? "ok" : "FAILED", failedEntries, checkedEntries, maxRelativeError,
                    worstEntry.isEmpty() ? "" : " at " + worstEntry);
        }
    }
}
