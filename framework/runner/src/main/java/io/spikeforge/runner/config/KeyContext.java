package io.spikeforge.runner.config;

import io.spikeforge.api.config.Checked;

/**
 * What a value type needs while resolving one key: where to report problems and the surrounding
 * validation.
 *
 * @param validator the running validation
 * @param path the dotted key path
 * @param keyLocation where the key was written, or where its section is when the key is absent
 */
record KeyContext(SchemaValidator validator, String path, ConfigLocation keyLocation) {

    /** Reports a problem with this key and returns {@link KeyType#INVALID}. */
    Object error(String message) {
        validator.errors().add(keyLocation, path, message);
        return KeyType.INVALID;
    }

    /** Reports a value of the wrong kind and returns {@link KeyType#INVALID}. */
    Object expected(String allowed, ConfigNode got) {
        return error("expected " + allowed + ", got " + ConfigNode.describe(got));
    }

    /** Like {@link #expected}, for text values: YAML reads an unquoted {@code 2024} as a number. */
    Object expectedText(String allowed, ConfigNode got) {
        boolean unquotedNonText = got instanceof ConfigNode.Scalar scalar && !scalar.isNull() && !scalar.isString();
        return error("expected " + allowed + ", got " + ConfigNode.describe(got)
                + (unquotedNonText ? " (put it in quotes to use it as text)" : ""));
    }

    /** The checked value, or {@link KeyType#INVALID} after reporting why {@code written} was refused. */
    Object accept(Checked checked, ConfigNode written) {
        return checked.ok() ? checked.value() : error(checked.message(ConfigNode.describe(written)));
    }

    /** The context of a list element, reported at the element itself. */
    KeyContext element(int index, ConfigNode item) {
        return new KeyContext(validator, path + "[" + index + "]", item.location());
    }
}
