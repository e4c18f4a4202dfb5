package io.spikeforge.tracking;

import java.util.regex.Pattern;

/**
 * MLflow's rules for keys and values (mlflow/utils/validation.py), checked before anything is
 * written so that the local store never holds a record a server would refuse.
 */
final class MlflowNames {
    static final int MAX_KEY_LENGTH = 250;
    static final int MAX_PARAM_VALUE_LENGTH = 6000;
    static final int MAX_TAG_VALUE_LENGTH = 5000;
    static final int MAX_EXPERIMENT_NAME_LENGTH = 500;

    /** Python's {@code ^[/\w.\- ]*$} on str: {@code \w} is Unicode-aware there. */
    private static final Pattern VALID_KEY = Pattern.compile("[/\\w.\\- ]*", Pattern.UNICODE_CHARACTER_CLASS);
    private static final String ALLOWED = "Names may only contain alphanumerics, underscores (_), dashes (-), "
            + "periods (.), spaces ( ), and slashes (/).";

    private MlflowNames() {
    }

    /**
     * Checks a metric, param or tag key.
     *
     * @param kind {@code "metric"}, {@code "parameter"} or {@code "tag"}, for the message
     */
    static void checkKey(String kind, String key) {
        if (key == null) {
            throw new IllegalArgumentException("The " + kind + " name cannot be null.");
        }
        if (!VALID_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("Invalid " + kind + " name: '" + key + "'. " + ALLOWED);
        }
        if (!isNormalPath(key)) {
            throw new IllegalArgumentException("Invalid " + kind + " name: '" + key + "'. Names are file names "
                    + "in MLflow's store and must not be empty, start with '/' or '..', end with '/', "
                    + "or contain '//', '/./' or '/../'.");
        }
        checkLength(kind + " name", key, MAX_KEY_LENGTH);
    }

    static void checkParam(String key, String value) {
        checkKey("parameter", key);
        checkValue("Value of parameter '" + key + "'", value, MAX_PARAM_VALUE_LENGTH);
    }

    static void checkTag(String key, String value) {
        checkKey("tag", key);
        checkValue("Value of tag '" + key + "'", value, MAX_TAG_VALUE_LENGTH);
    }

    static void checkExperimentName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("Invalid experiment name: '" + name + "': it may not be empty.");
        }
        checkLength("Experiment name", name, MAX_EXPERIMENT_NAME_LENGTH);
    }

    /** Cuts a tag value to MLflow's limit; for values this program composes (error traces). */
    static String truncateTagValue(String value) {
        return value.length() <= MAX_TAG_VALUE_LENGTH ? value : value.substring(0, MAX_TAG_VALUE_LENGTH);
    }

    private static void checkValue(String what, String value, int limit) {
        if (value == null) {
            throw new IllegalArgumentException(what + " cannot be null.");
        }
        checkLength(what, value, limit);
    }

    private static void checkLength(String what, String value, int limit) {
        if (value.length() > limit) {
            throw new IllegalArgumentException(what + " '" + value.substring(0, Math.min(100, value.length()))
                    + "...' has length " + value.length() + ", which exceeds MLflow's limit of " + limit + ".");
        }
    }

    /**
     * Whether Python's {@code posixpath.normpath} leaves the name as it is and it neither is
     * {@code "."} nor starts with {@code ".."} or {@code "/"} (validation.py's path_not_unique).
     */
    private static boolean isNormalPath(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.startsWith("..")) {
            return false;
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
