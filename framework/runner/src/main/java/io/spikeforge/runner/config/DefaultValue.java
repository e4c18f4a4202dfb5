package io.spikeforge.runner.config;

import java.util.Objects;
import java.util.function.BiFunction;

/** What an absent key resolves to. */
sealed interface DefaultValue permits DefaultValue.Required, DefaultValue.Fixed, DefaultValue.Unset,
        DefaultValue.Computed, DefaultValue.FromType {

    /** The key must be given. */
    record Required() implements DefaultValue {
    }

    /** A constant, in resolved form (Long, Double, Boolean, String, a choice's value, Path, List of Long). */
    record Fixed(Object value) implements DefaultValue {
        public Fixed {
            Objects.requireNonNull(value, "value");
        }
    }

    /** The key is optional and resolves to null (an empty Optional in the records) when absent. */
    record Unset() implements DefaultValue {
    }

    /**
     * Derived from other values; null from {@code compute} means an input was itself invalid.
     *
     * @param docs how the default is derived, for the docs
     * @param compute from the key's resolved section so far and the resolved top level so far
     */
    record Computed(String docs, BiFunction<ResolvedSection, ResolvedSection, Object> compute)
            implements DefaultValue {
        public Computed {
            Objects.requireNonNull(docs, "docs");
            Objects.requireNonNull(compute, "compute");
        }
    }

    /** The type knows its default: a section of defaults, or a slot's default component. */
    record FromType() implements DefaultValue {
    }
}
