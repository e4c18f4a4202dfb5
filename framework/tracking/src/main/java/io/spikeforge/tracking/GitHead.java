package io.spikeforge.tracking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The commit checked out in the git repository holding a file, read from {@code .git} without a
 * git program: {@code HEAD}, loose refs, {@code packed-refs}, and worktrees ({@code .git} as a
 * {@code gitdir:} file with a {@code commondir}).
 *
 * @param commit the 40 (or 64) hexadecimal characters of the commit
 * @param branch the branch, unless HEAD is detached
 */
record GitHead(String commit, Optional<String> branch) {
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    private static final String REF_PREFIX = "ref: ";
    private static final String BRANCH_PREFIX = "refs/heads/";

    /** The head of the repository holding {@code file}, if it is in one that has a commit. */
    static Optional<GitHead> of(Path file) {
        try {
            for (Path dir = file.toAbsolutePath().normalize().getParent(); dir != null; dir = dir.getParent()) {
                Path dotGit = dir.resolve(".git");
                if (Files.isDirectory(dotGit)) {
                    return read(dotGit, dotGit);
                }
                if (Files.isRegularFile(dotGit)) {
                    String pointer = Files.readString(dotGit).strip();
                    if (!pointer.startsWith("gitdir:")) {
                        return Optional.empty();
                    }
                    Path gitDir = dir.resolve(pointer.substring("gitdir:".length()).strip()).normalize();
                    Path commonDirFile = gitDir.resolve("commondir");
                    Path commonDir = Files.isRegularFile(commonDirFile)
                            ? gitDir.resolve(Files.readString(commonDirFile).strip()).normalize() : gitDir;
                    return read(gitDir, commonDir);
                }
            }
        } catch (IOException e) {
            // an unreadable repository: the run simply has no commit tag
        }
        return Optional.empty();
    }

    private static Optional<GitHead> read(Path gitDir, Path commonDir) throws IOException {
        Path headFile = gitDir.resolve("HEAD");
        if (!Files.isRegularFile(headFile)) {
            return Optional.empty();
        }
        String head = Files.readString(headFile).strip();
        if (!head.startsWith(REF_PREFIX)) {
            return COMMIT.matcher(head).matches() ? Optional.of(new GitHead(head, Optional.empty())) : Optional.empty();
        }
        String ref = head.substring(REF_PREFIX.length()).strip();
        Optional<String> branch = ref.startsWith(BRANCH_PREFIX)
                ? Optional.of(ref.substring(BRANCH_PREFIX.length())) : Optional.empty();
        return resolve(ref, gitDir, commonDir).map(commit -> new GitHead(commit, branch));
    }

    private static Optional<String> resolve(String ref, Path gitDir, Path commonDir) throws IOException {
        for (Path dir : new Path[] {gitDir, commonDir}) {
            Path loose = dir.resolve(ref);
            if (Files.isRegularFile(loose)) {
                String commit = Files.readString(loose).strip();
                return COMMIT.matcher(commit).matches() ? Optional.of(commit) : Optional.empty();
            }
        }
        Path packed = commonDir.resolve("packed-refs");
        if (!Files.isRegularFile(packed)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(packed)) {
            return lines.filter(line -> !line.startsWith("#") && !line.startsWith("^"))
                    .map(line -> line.split(" ", 2))
                    .filter(parts -> parts.length == 2 && parts[1].strip().equals(ref)
                            && COMMIT.matcher(parts[0]).matches())
                    .map(parts -> parts[0])
                    .findFirst();
        }
    }
}
