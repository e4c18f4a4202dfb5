package io.spikeforge.runner.sweep;

import io.spikeforge.common.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The record of a sweep's SLURM submissions, {@code slurm/submissions.tsv}: one line per
 * {@code sbatch} (the array job's id, the arm indices it runs, when), oldest first. The latest
 * submission that holds an arm is the arm's job.
 */
final class SlurmSubmissions {
    static final String FILE = "submissions.tsv";
    private static final String HEADER = "job\tarms\tsubmitted";

    /** One {@code sbatch}: the array job and the arms it runs (its array task indices). */
    record Submission(String job, List<Integer> arms, Instant submitted) {
        Submission {
            arms = List.copyOf(arms);
        }

        /** The job id of one arm's array task, such as {@code 42_3}. */
        String taskOf(int arm) {
            return job + "_" + arm;
        }
    }

    private final Path file;

    SlurmSubmissions(Path file) {
        this.file = file;
    }

    /**
     * Adds a submission: the whole file is written anew and moved into place, so a reader (or a
     * second submitter's read) sees it with or without the new line, never half of it.
     */
    synchronized void append(Submission submission) throws IOException {
        String old = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : HEADER + "\n";
        String line = submission.job() + "\t" + String.join(",", submission.arms().stream().map(String::valueOf)
                .toList()) + "\t" + submission.submitted() + "\n";
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, (old + line).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Every submission, oldest first; none when nothing was submitted.
     *
     * @throws IOException if a line is not a submission (the message names the file and the line)
     */
    List<Submission> read() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException(file + ":1: expected the header '" + HEADER.replace("\t", "\\t") + "'");
        }
        List<Submission> submissions = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isEmpty()) {
                continue;
            }
            String[] cells = lines.get(i).split("\t", -1);
            try {
                if (cells.length != 3 || !cells[0].matches("\\d+")) {
                    throw new IllegalArgumentException("expected job id, arms and time separated by tabs");
                }
                List<Integer> arms = Arrays.stream(cells[1].split(",")).map(Integer::valueOf).toList();
                submissions.add(new Submission(cells[0], arms, Instant.parse(cells[2])));
            } catch (RuntimeException e) {
                throw new IOException(file + ":" + (i + 1) + ": expected 'job<TAB>arm,arm,...<TAB>time' (such as "
                        + "'42\\t0,1,2\\t2026-01-31T12:00:00Z'), got '" + lines.get(i) + "'", e);
            }
        }
        return submissions;
    }

    /** The latest submission that runs the arm, if any. */
    static Optional<Submission> latestFor(List<Submission> submissions, int arm) {
        for (int i = submissions.size() - 1; i >= 0; i--) {
            if (submissions.get(i).arms().contains(arm)) {
                return Optional.of(submissions.get(i));
            }
        }
        return Optional.empty();
    }
}
