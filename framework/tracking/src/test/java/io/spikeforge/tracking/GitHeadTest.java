package io.spikeforge.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit of the repository that holds an experiment file, read from .git without git. */
class GitHeadTest {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final String OTHER = "89abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void looseBranchRef() throws IOException {
        Path repo = repository("ref: refs/heads/main\n");
        write(repo.resolve(".git/refs/heads/main"), COMMIT + "\n");

        assertEquals(Optional.of(new GitHead(COMMIT, Optional.of("main"))), GitHead.of(experimentIn(repo)));
    }

    @Test
    void packedRef() throws IOException {
        Path repo = repository("ref: refs/heads/feature/x\n");
        write(repo.resolve(".git/packed-refs"), "# pack-refs with: peeled fully-peeled sorted\n"
                + OTHER + " refs/heads/main\n" + COMMIT + " refs/heads/feature/x\n^" + OTHER + "\n");

        assertEquals(Optional.of(new GitHead(COMMIT, Optional.of("feature/x"))), GitHead.of(experimentIn(repo)));
    }

    @Test
    void detachedHead() throws IOException {
        Path repo = repository(COMMIT + "\n");

        assertEquals(Optional.of(new GitHead(COMMIT, Optional.empty())), GitHead.of(experimentIn(repo)));
    }

    @Test
    void worktreeReadsItsOwnHeadAndTheSharedRefs() throws IOException {
        Path main = repository("ref: refs/heads/main\n");
        write(main.resolve(".git/refs/heads/main"), OTHER + "\n");
        write(main.resolve(".git/refs/heads/topic"), COMMIT + "\n");
        Path worktreeGitDir = main.resolve(".git/worktrees/topic");
        write(worktreeGitDir.resolve("HEAD"), "ref: refs/heads/topic\n");
        write(worktreeGitDir.resolve("commondir"), "../..\n");
        Path worktree = Files.createDirectories(dir.resolve("topic-tree"));
        write(worktree.resolve(".git"), "gitdir: " + worktreeGitDir + "\n");

        assertEquals(Optional.of(new GitHead(COMMIT, Optional.of("topic"))), GitHead.of(experimentIn(worktree)));
    }

    @Test
    void noRepositoryOrNoCommitYet() throws IOException {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        assertEquals(Optional.empty(), GitHead.of(plain.resolve("x.yaml")));

        Path unborn = repository("ref: refs/heads/main\n");
        assertEquals(Optional.empty(), GitHead.of(experimentIn(unborn)));
    }

    private Path repository(String head) throws IOException {
        Path repo = Files.createDirectories(dir.resolve("repo-" + head.hashCode()));
        write(repo.resolve(".git/HEAD"), head);
        return repo;
    }

    private static Path experimentIn(Path repo) throws IOException {
        Path file = repo.resolve("experiments/cifar10.yaml");
        write(file, "experiment: {name: x}\n");
        return file;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
