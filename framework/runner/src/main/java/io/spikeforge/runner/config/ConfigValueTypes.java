package io.spikeforge.runner.config;

import io.spikeforge.api.config.Checked;
import io.spikeforge.api.config.ValueText;
import io.spikeforge.api.config.ValueType;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The value types only experiment files use, beside those of {@code io.spikeforge.api.config}. */
final class ConfigValueTypes {
    private ConfigValueTypes() {
    }

    /** A file system path, resolved to a {@link Path} kept as written. */
    record PathType() implements ValueType {
        @Override
        public String allowed() {
            return "a path";
        }

        @Override
        public Checked check(Object value) {
            if (!(value instanceof String text)) {
                return Checked.mismatch(allowed(), ValueText.quoteHint(value));
            }
            if (text.isBlank()) {
                return Checked.problem("expected " + allowed() + ", got an empty string");
            }
            try {
                return Checked.valid(Path.of(text));
            } catch (InvalidPathException e) {
                return Checked.problem("expected " + allowed() + ", got '" + text + "', which is not a valid path: "
                        + e.getReason());
            }
        }
    }

    /** An {@code http://} or {@code https://} URL with a host, resolved to a {@link URI}. */
    record HttpUrlType() implements ValueType {
        @Override
        public String allowed() {
            return "an http:// or https:// URL such as http://localhost:5000";
        }

        @Override
        public Checked check(Object value) {
            if (!(value instanceof String text)) {
                return Checked.mismatch(allowed(), ValueText.quoteHint(value));
            }
            try {
                URI uri = new URI(text);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                    return Checked.valid(uri);
                }
            } catch (URISyntaxException e) {
                // Refused below like any other value that is not an http(s) URL.
            }
            return Checked.mismatch(allowed(), "");
        }
    }

    /** One integer of a fixed set, resolved to a {@code Long}. */
    record IntegerChoiceType(List<Long> values) implements ValueType {
        IntegerChoiceType {
            values = List.copyOf(values);
        }

        @Override
        public String allowed() {
            return "one of " + values.stream().map(String::valueOf).collect(Collectors.joining(", "));
        }

        @Override
        public Checked check(Object value) {
            if ((value instanceof Integer || value instanceof Long) && values.contains(((Number) value).longValue())) {
                return Checked.valid(((Number) value).longValue());
            }
            return Checked.mismatch(allowed(), "");
        }
    }
}
