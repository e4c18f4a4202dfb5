package io.spikeforge.engine.data;

import io.spikeforge.common.AtomicFiles;
import io.spikeforge.engine.io.Sha256;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The record a generation keeps in the set's folder ({@value #FILE_NAME}) while it runs, written
 * before anything else: which files it writes, under which temporary names, and the files of the
 * folder it may replace. A generation that was killed leaves it behind, and with it the proof of
 * which files in the folder are Spikeforge's, so that the next generation removes exactly those.
 *
 * @param token the random part of this generation's temporary file names, {@code <name>.<token>.partial}
 * @param files the names of the files it writes
 * @param replaces the files of the folder it may replace or delete: name to SHA-256, each proven to
 *     be Spikeforge's before this record was written
 * @param written the SHA-256 of each file it writes, once all its temporary files are complete
 *     (before the first is renamed into place); empty until then
 */
record SyntheticGeneration(String token, List<String> files, Map<String, String> replaces, Map<String, String> written) {
    /** The record's name in the set's folder. */
    static final String FILE_NAME = "synthetic-generation.properties";

    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{16}");

    SyntheticGeneration {
        if (!TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("token must be 16 lower-case hex digits, got '" + token + "'");
        }
        files = List.copyOf(files);
        replaces = Collections.unmodifiableMap(new LinkedHashMap<>(replaces));
        written = Collections.unmodifiableMap(new LinkedHashMap<>(written));
    }

    /** The same generation once its files are complete, with their checksums. */
    SyntheticGeneration withWritten(Map<String, String> checksums) {
        return new SyntheticGeneration(token, files, replaces, checksums);
    }

    /** The temporary file of one of its files in {@code folder}. */
    Path temporary(Path folder, String name) {
        return AtomicFiles.temporaryFor(folder.resolve(name), token);
    }

    /** Writes the record into {@code folder}, atomically. */
    void write(Path folder) throws IOException {
        String text = "# Spikeforge is generating a synthetic image set in this folder (see README.txt when done).\n"
                + "# A generation that was interrupted left this file: the next one removes what it wrote.\n"
                + "token=" + token + "\n"
                + "files=" + String.join(",", files) + "\n"
                + "replaces=" + checksumsText(replaces) + "\n"
                + "written=" + checksumsText(written) + "\n";
        AtomicFiles.write(folder.resolve(FILE_NAME), text.getBytes(StandardCharsets.UTF_8));
    }

    /** The record in {@code folder}, or null when there is none or it is not one Spikeforge wrote. */
    static SyntheticGeneration readIfPresent(Path folder) throws IOException {
        Path file = folder.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            return null;
        }
        try {
            return new SyntheticGeneration(Objects.requireNonNull(properties.getProperty("token")).trim(),
                    list(properties.getProperty("files")), checksums(properties.getProperty("replaces")),
                    checksums(properties.getProperty("written")));
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    private static List<String> list(String text) {
        Objects.requireNonNull(text);
        return text.isBlank() ? List.of() : Arrays.stream(text.split(",")).map(String::trim).toList();
    }

    private static Map<String, String> checksums(String text) {
        Map<String, String> checksums = new LinkedHashMap<>();
        for (String entry : list(text)) {
            int colon = entry.lastIndexOf(':');
            String hex = entry.substring(colon + 1);
            if (colon < 1 || !Sha256.isChecksum(hex)) {
                throw new IllegalArgumentException("not name:sha256: " + entry);
            }
            checksums.put(entry.substring(0, colon), hex);
        }
        return checksums;
    }

    private static String checksumsText(Map<String, String> checksums) {
        return checksums.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
    }
}
