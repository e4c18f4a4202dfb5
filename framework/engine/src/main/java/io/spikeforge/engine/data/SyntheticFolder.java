package io.spikeforge.engine.data;

import io.spikeforge.engine.io.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The entries of a folder that a synthetic set is to be written into, sorted by whether Spikeforge
 * can prove it wrote them. The proof is content, never a name alone: a file is Spikeforge's when
 * its SHA-256 is one that the set's metadata ({@value SyntheticMetadata#FILE_NAME}) or an
 * unfinished generation's record ({@value SyntheticGeneration#FILE_NAME}) holds for that name; a
 * temporary file is when the record names it with its generation's random token.
 */
final class SyntheticFolder {
    private final SyntheticGeneration unfinished;
    private final Map<String, String> owned;
    private final List<Path> temporaries;
    private final List<String> foreign;

    private SyntheticFolder(SyntheticGeneration unfinished, Map<String, String> owned, List<Path> temporaries,
                            List<String> foreign) {
        this.unfinished = unfinished;
        this.owned = owned;
        this.temporaries = temporaries;
        this.foreign = foreign;
    }

    /** Sorts the entries of an existing folder. */
    static SyntheticFolder inspect(Path folder) throws IOException {
        List<Path> entries;
        try (Stream<Path> list = Files.list(folder)) {
            entries = list.sorted().toList();
        }
        SyntheticGeneration generation = SyntheticGeneration.readIfPresent(folder);
        Map<String, Set<String>> claims = new HashMap<>();
        Set<String> temporaryNames = new HashSet<>();
        if (generation != null) {
            generation.replaces().forEach((name, sha) -> claim(claims, name, sha));
            generation.written().forEach((name, sha) -> claim(claims, name, sha));
            generation.files().forEach(name -> temporaryNames.add(generation.temporary(folder, name)
                    .getFileName().toString()));
        }
        SyntheticMetadata metadata = metadataIfComplete(folder);
        if (metadata != null) {
            metadata.sha256().forEach((name, sha) -> claim(claims, name, sha));
        }
        Map<String, String> owned = new TreeMap<>();
        List<Path> temporaries = new ArrayList<>();
        List<String> foreign = new ArrayList<>();
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (name.equals(SyntheticGeneration.FILE_NAME) && generation != null) {
                continue;
            }
            if (temporaryNames.contains(name) && Files.isRegularFile(entry)) {
                temporaries.add(entry);
                continue;
            }
            boolean regular = Files.isRegularFile(entry);
            if (regular && name.equals(SyntheticMetadata.FILE_NAME) && metadata != null) {
                owned.put(name, Sha256.of(entry));
                continue;
            }
            if (regular && claims.containsKey(name)) {
                String sha = Sha256.of(entry);
                if (claims.get(name).contains(sha)) {
                    owned.put(name, sha);
                    continue;
                }
            }
            foreign.add(name);
        }
        return new SyntheticFolder(generation, owned, temporaries, foreign);
    }

    private static void claim(Map<String, Set<String>> claims, String name, String sha) {
        claims.computeIfAbsent(name, n -> new HashSet<>()).add(sha);
    }

    /**
     * The folder's metadata when it has checksums for every file of its set: then it is the one
     * Spikeforge wrote last, after those files (whose checksums are checked one by one). Null for
     * none, a damaged one, or one from before Spikeforge recorded checksums.
     */
    private static SyntheticMetadata metadataIfComplete(Path folder) {
        if (!Files.isRegularFile(folder.resolve(SyntheticMetadata.FILE_NAME))) {
            return null;
        }
        try {
            SyntheticMetadata metadata = SyntheticMetadata.read(folder);
            List<String> files = new ArrayList<>(metadata.dataFileNames());
            files.add(SyntheticImageSets.README_FILE);
            return metadata.sha256().keySet().containsAll(files) ? metadata : null;
        } catch (IOException damaged) {
            return null;
        }
    }

    /** An interrupted generation's record, or null. */
    SyntheticGeneration unfinished() {
        return unfinished;
    }

    /** The files proven Spikeforge's (data files, README, metadata), by name, with their checksums. */
    Map<String, String> owned() {
        return owned;
    }

    /** Names of the entries Spikeforge cannot prove it wrote, sorted. */
    List<String> foreign() {
        return foreign;
    }

    /** Deletes the temporary files of an interrupted generation. */
    void deleteTemporaries() throws IOException {
        for (Path temporary : temporaries) {
            Files.deleteIfExists(temporary);
        }
    }
}
