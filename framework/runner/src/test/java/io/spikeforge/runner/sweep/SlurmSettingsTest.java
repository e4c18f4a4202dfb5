package io.spikeforge.runner.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SLURM launcher's settings, job script and process wrapper, without a cluster. */
class SlurmSettingsTest {
    @TempDir
    Path temp;

    @Test
    void settingsBecomeSbatchOptionsAndSurviveTheirFile() throws IOException {
        SlurmSettings settings = new SlurmSettings("gpu", "1-12:00:00", 8, "32G", 2, 4, List.of("--account=proj42"));
        assertEquals(List.of("--partition=gpu", "--time=1-12:00:00", "--cpus-per-task=8", "--mem=32G", "--gres=gpu:2",
                "--account=proj42"), settings.sbatchOptions());
        assertEquals(List.of("--cpus-per-task=1"), SlurmSettings.defaults().sbatchOptions());

        Path file = temp.resolve("settings.tsv");
        settings.write(file);
        assertEquals(settings, SlurmSettings.read(file));
        SlurmSettings.defaults().write(file);
        assertEquals(SlurmSettings.defaults(), SlurmSettings.read(file));
    }

    @Test
    void badSettingsNameTheKeyAndWhatWasExpected() throws IOException {
        assertMessage(() -> new SlurmSettings(null, "2 hours", 1, null, 0, 0, List.of()), "launcher.time",
                "'2 hours'");
        assertMessage(() -> new SlurmSettings(null, null, 0, null, 0, 0, List.of()), "launcher.cpus", "got 0");
        assertMessage(() -> new SlurmSettings(null, null, 1, "8 GB", 0, 0, List.of()), "launcher.memory", "'8 GB'");
        assertMessage(() -> new SlurmSettings(null, null, 1, null, -1, 0, List.of()), "launcher.gpus", "got -1");
        assertMessage(() -> new SlurmSettings(null, null, 1, null, 0, -2, List.of()), "launcher.max_parallel",
                "got -2");
        assertMessage(() -> new SlurmSettings("a b", null, 1, null, 0, 0, List.of()), "launcher.partition", "'a b'");
        assertMessage(() -> new SlurmSettings(null, null, 1, null, 0, 0, List.of("--array=1-3")), "--array",
                "set by Spikeforge");

        Path file = temp.resolve("settings.tsv");
        Files.writeString(file, "cpus\t2\nnodes\t3\n");
        IOException bad = assertThrows(IOException.class, () -> SlurmSettings.read(file));
        assertTrue(bad.getMessage().startsWith(file + ":2: expected 'key<TAB>value'"), bad.getMessage());
        Files.writeString(file, "cpus\ttwo\n");
        bad = assertThrows(IOException.class, () -> SlurmSettings.read(file));
        assertTrue(bad.getMessage().contains(file + ": cpus: expected a whole number, got 'two'"), bad.getMessage());
    }

    @Test
    void theJobScriptReplacesOnlyItsOwnFileAndNeedsAPathSbatchCanHold() throws IOException {
        SlurmLauncher launcher = new SlurmLauncher(SlurmSettings.defaults(), temp);
        ArmCommand command = new ArmCommand(Path.of("/opt/spikeforge/bin/spikeforge"));
        SweepFolder sweep = SweepFolder.at(temp.resolve("sweep"));
        Path script = launcher.writeJobScript(sweep, command);
        assertTrue(Files.isExecutable(script));
        assertEquals(script, launcher.writeJobScript(sweep, command));

        Files.writeString(script, "#!/bin/bash\necho mine\n");
        IOException foreign = assertThrows(IOException.class, () -> launcher.writeJobScript(sweep, command));
        assertTrue(foreign.getMessage().contains("was not written by Spikeforge"), foreign.getMessage());
        assertEquals("#!/bin/bash\necho mine\n", Files.readString(script));

        IOException spaced = assertThrows(IOException.class,
                () -> launcher.writeJobScript(SweepFolder.at(temp.resolve("my sweep")), command));
        assertTrue(spaced.getMessage().contains("my sweep") && spaced.getMessage().contains("#SBATCH"),
                spaced.getMessage());
    }

    @Test
    void aMissingSlurmCommandIsNamedWithWhereToRunIt() {
        IOException missing = assertThrows(IOException.class,
                () -> SlurmCommands.run(List.of("spikeforge-no-such-sbatch", "--parsable")));
        assertTrue(missing.getMessage().startsWith("cannot run 'spikeforge-no-such-sbatch'")
                && missing.getMessage().contains("PATH"), missing.getMessage());
    }

    @Test
    void aSweepNeverSubmittedToSlurmIsNamed() throws IOException {
        SweepFolder sweep = SweepFolder.at(temp.resolve("sweep"));
        Files.createDirectories(sweep.root());
        Files.writeString(sweep.sweepFile(), "# a sweep\n");
        IOException never = assertThrows(IOException.class, () -> SlurmSweep.at(sweep.root()));
        assertTrue(never.getMessage().contains("was not submitted to SLURM: it has no slurm/settings.tsv"),
                never.getMessage());
        IOException notASweep = assertThrows(IOException.class, () -> SlurmSweep.at(temp.resolve("nothing")));
        assertTrue(notASweep.getMessage().endsWith("nothing: no such folder"), notASweep.getMessage());
    }

    private static void assertMessage(Runnable construct, String... parts) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, construct::run);
        for (String part : parts) {
            assertTrue(error.getMessage().contains(part), error.getMessage());
        }
    }
}
