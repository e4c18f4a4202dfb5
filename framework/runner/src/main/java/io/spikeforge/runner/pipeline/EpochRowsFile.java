package io.spikeforge.runner.pipeline;

import io.spikeforge.common.AtomicFiles;
import io.spikeforge.common.IoErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * A CSV file of a run whose rows start with {@code model,epoch,}: created with its header, appended
 * row by row (each row on disk once written, so a crash keeps every finished epoch), and cut back
 * to the epochs the checkpoints cover when the run resumes.
 */
final class EpochRowsFile {
    private final Path file;

    private EpochRowsFile(Path file) {
        this.file = file;
    }

    /** Creates the file with its header line; it must not exist. */
    static EpochRowsFile create(Path file, String header) throws IOException {
        try {
            Files.writeString(file, header + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw IoErrors.naming(file, e);
        }
        return new EpochRowsFile(file);
    }

    /**
     * Continues the file of a resumed run: keeps the header and the rows whose model and epoch
     * {@code keep} accepts, rewriting the file atomically, and appends from there. A missing file
     * (a run from before the file existed) is created; a last row without its newline (torn by a
     * crash) is dropped.
     *
     * @param kept receives each kept row with its line number
     * @throws IOException when the header is not {@code header} or a row has no model and epoch
     */
    static EpochRowsFile resume(Path file, String header, BiPredicate<String, Integer> keep, RowConsumer kept)
            throws IOException {
        if (!Files.exists(file)) {
            return create(file, header);
        }
        List<String> lines = new ArrayList<>(List.of(Files.readString(file, StandardCharsets.UTF_8).split("\n", -1)));
        // the last element is empty when the file ends with a newline; otherwise it is a row torn by a
        // crash in the middle of an append, which the run writes again
        lines.remove(lines.size() - 1);
        if (lines.isEmpty() || !lines.get(0).equals(header)) {
            throw new IOException(file + ": line 1 is not the header '" + header + "'");
        }
        StringBuilder text = new StringBuilder(header).append('\n');
        List<String> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", 3);
            int epoch;
            try {
                epoch = Integer.parseInt(cells.length > 1 ? cells[1] : "");
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + (i + 1) + ": the second cell is not an epoch: " + line, e);
            }
            if (keep.test(cells[0], epoch)) {
                kept.accept(i + 1, line);
                rows.add(line);
                text.append(line).append('\n');
            }
        }
        AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
        return new EpochRowsFile(file);
    }

    /** Receives a kept row. */
    interface RowConsumer {
        void accept(int lineNumber, String line) throws IOException;
    }

    /** Appends rows, each ending with a newline. */
    void append(List<String> rows) {
        StringBuilder text = new StringBuilder();
        rows.forEach(row -> text.append(row).append('\n'));
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + IoErrors.message(e), e);
        }
    }
}
