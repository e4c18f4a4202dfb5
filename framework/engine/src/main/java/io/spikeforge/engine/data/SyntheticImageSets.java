package io.spikeforge.engine.data;

import io.spikeforge.common.AtomicFiles;
import io.spikeforge.engine.data.CifarReader.FileRecords;
import io.spikeforge.engine.io.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Generates synthetic image sets: 32x32 RGB, 10 or 100 classes, each class a procedural prototype
 * (shape, texture, hue) seen under nuisance variation (position, scale, rotation, colour jitter,
 * background clutter, occlusion, noise). A set is written in the CIFAR binary format of its class
 * count, with the same file names, so {@link Datasets} reads it like the real data.
 *
 * <p>The same {@link SyntheticSpec} always gives byte-identical files: every image depends only on
 * (seed, split, index), whatever the number of threads that render it.
 */
public final class SyntheticImageSets {
    /** Version of the generator; it changes whenever the same spec would give different bytes. */
    public static final int GENERATOR_VERSION = 1;
    /** The human-readable description written into a set's folder. */
    public static final String README_FILE = "README.txt";

    private static final int IMAGES_PER_CHUNK = 512;
    private static final int IMAGE_BYTES = ImageShape.RGB_32.imageBytes();
    private static final long TRAIN_STREAM = 0x7261696EL;
    private static final long TEST_STREAM = 0x74657374L;

    private SyntheticImageSets() {
    }

    /**
     * Generates a set into a folder, creating it if needed. A record of the generation
     * ({@value SyntheticGeneration#FILE_NAME}) is written first; each file goes to a temporary file
     * and is renamed only when all are complete, {@value SyntheticMetadata#FILE_NAME} last, so an
     * interrupted generation never leaves a set that reads as complete, and an earlier set stays
     * intact until the new one is ready. What a killed generation left behind (its record names it)
     * is removed by the next one.
     *
     * <p>Spikeforge replaces or deletes only files it can prove it wrote: those whose SHA-256 its
     * metadata, or an interrupted generation's record, holds. Any other file makes it refuse
     * before anything is written.
     *
     * @param folder a new or empty folder, or one holding an earlier synthetic set (which is
     *     replaced) or an interrupted generation (which is cleaned up)
     * @throws ForeignFilesException when the folder holds other files
     */
    public static SyntheticMetadata generate(SyntheticSpec spec, Path folder, GenerationProgress progress)
            throws IOException {
        Files.createDirectories(folder);
        SyntheticFolder existing = inspectOwnFiles(folder);
        existing.deleteTemporaries();
        List<String> names = new ArrayList<>();
        for (Split split : Split.values()) {
            fileRecords(spec, split).forEach(file -> names.add(file.fileName()));
        }
        names.add(README_FILE);
        names.add(SyntheticMetadata.FILE_NAME);
        SyntheticGeneration generation = new SyntheticGeneration(newToken(), names, existing.owned(), Map.of());
        generation.write(folder);
        boolean committing = false;
        try {
            Map<String, String> written = new TreeMap<>();
            SyntheticMetadata metadata = writeTemporaries(spec, folder, generation, progress, written);
            generation = generation.withWritten(written);
            generation.write(folder);
            committing = true;
            commit(folder, generation, existing.owned().keySet());
            return metadata;
        } finally {
            if (!committing) {
                for (String name : names) {
                    Files.deleteIfExists(generation.temporary(folder, name));
                }
                if (existing.unfinished() == null) {
                    // the folder is as it was: its files are proven by its metadata alone
                    Files.deleteIfExists(folder.resolve(SyntheticGeneration.FILE_NAME));
                }
                // else the record stays: it holds the proof for files an earlier generation left
            }
        }
    }

    /**
     * Checks, without changing anything, that {@link #generate} may write into the folder: it does
     * not exist, or it holds only files that Spikeforge can prove it wrote.
     *
     * @throws ForeignFilesException when the folder holds other files
     */
    public static void requireOwnFiles(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            inspectOwnFiles(folder);
        }
    }

    private static SyntheticFolder inspectOwnFiles(Path folder) throws IOException {
        SyntheticFolder existing = SyntheticFolder.inspect(folder);
        if (!existing.foreign().isEmpty()) {
            throw new ForeignFilesException(folder, existing.foreign());
        }
        return existing;
    }

    /**
     * Whether a generation in the folder was interrupted: its record is there. Its files are
     * removed, and the set written anew, by the next {@link #generate} into the folder.
     */
    public static boolean hasUnfinishedGeneration(Path folder) {
        return Files.isRegularFile(folder.resolve(SyntheticGeneration.FILE_NAME));
    }

    /** Writes every file of the set to its temporary file, the metadata last; collects their checksums. */
    private static SyntheticMetadata writeTemporaries(SyntheticSpec spec, Path folder, SyntheticGeneration generation,
                                                      GenerationProgress progress, Map<String, String> written)
            throws IOException {
        CifarLayout layout = spec.layout();
        long total = (long) spec.trainCount() + spec.testCount();
        long[] done = {0};
        Normalization.ChannelMoments moments = new Normalization.ChannelMoments(ImageShape.RGB_32);
        for (Split split : Split.values()) {
            int[] labels = labels(spec, split);
            int first = 0;
            for (FileRecords file : fileRecords(spec, split)) {
                int start = first;
                MessageDigest digest = Sha256.digest();
                AtomicFiles.writeTemporary(folder.resolve(file.fileName()), generation.token(), out -> {
                    writeRecords(spec, split, labels, start, file.records(), layout, new DigestOutputStream(out, digest),
                            split == Split.TRAIN ? moments : null, done, total, progress);
                });
                written.put(file.fileName(), Sha256.hex(digest));
                first += file.records();
            }
        }
        SyntheticMetadata unsigned = new SyntheticMetadata(GENERATOR_VERSION, spec.seed(), spec.classCount(),
                fileRecords(spec, Split.TRAIN), fileRecords(spec, Split.TEST), moments.normalization(), Map.of());
        byte[] readme = SyntheticReadme.text(unsigned).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.writeTemporary(folder.resolve(README_FILE), generation.token(), out -> out.write(readme));
        written.put(README_FILE, Sha256.of(readme));
        SyntheticMetadata metadata = new SyntheticMetadata(unsigned.generatorVersion(), unsigned.seed(),
                unsigned.classCount(), unsigned.trainFiles(), unsigned.testFiles(), unsigned.normalization(),
                new TreeMap<>(written));
        byte[] metadataText = metadata.toText().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.writeTemporary(folder.resolve(SyntheticMetadata.FILE_NAME), generation.token(),
                out -> out.write(metadataText));
        written.put(SyntheticMetadata.FILE_NAME, Sha256.of(metadataText));
        return metadata;
    }

    private static String newToken() {
        return String.format(Locale.ROOT, "%016x", new SecureRandom().nextLong());
    }

    /** Renders a split in memory: the same images, labels and order as the files {@link #generate} writes. */
    public static ImageSet images(SyntheticSpec spec, Split split) {
        int count = spec.count(split);
        int[] labels = labels(spec, split);
        byte[] pixels = new byte[count * IMAGE_BYTES];
        render(spec, split, labels, 0, count, pixels);
        return new ImageSet(ImageShape.RGB_32, pixels, labels, spec.classCount());
    }

    /**
     * The files of a split and their record counts: CIFAR-100 layout one file per split; CIFAR-10
     * layout five training files sharing the images as evenly as possible (earlier files take the
     * remainder), one test file.
     */
    public static List<FileRecords> fileRecords(SyntheticSpec spec, Split split) {
        List<String> names = spec.layout().fileNames(split);
        int count = spec.count(split);
        List<FileRecords> files = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            files.add(new FileRecords(names.get(i), count / names.size() + (i < count % names.size() ? 1 : 0)));
        }
        return files;
    }

    /** Balanced labels (class counts differ by at most one) in a seeded random order. */
    private static int[] labels(SyntheticSpec spec, Split split) {
        int[] order = SeededRandom.of(spec.seed(), stream(split)).permutation(spec.count(split));
        int[] labels = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            labels[order[i]] = i % spec.classCount();
        }
        return labels;
    }

    private static long stream(Split split) {
        return split == Split.TRAIN ? TRAIN_STREAM : TEST_STREAM;
    }

    private static void render(SyntheticSpec spec, Split split, int[] labels, int first, int count, byte[] pixels) {
        long stream = stream(split);
        IntStream.range(0, count).parallel().forEach(i -> SyntheticRenderer.render(spec.seed(), stream, first + i,
                labels[first + i], spec.classCount(), pixels, i * IMAGE_BYTES));
    }

    private static void writeRecords(SyntheticSpec spec, Split split, int[] labels, int first, int count,
                                     CifarLayout layout, OutputStream out, Normalization.ChannelMoments moments,
                                     long[] done, long total, GenerationProgress progress) throws IOException {
        byte[] pixels = new byte[Math.min(count, IMAGES_PER_CHUNK) * IMAGE_BYTES];
        byte[] labelBytes = new byte[layout.labelBytes()];
        for (int chunkStart = 0; chunkStart < count; chunkStart += IMAGES_PER_CHUNK) {
            int chunk = Math.min(IMAGES_PER_CHUNK, count - chunkStart);
            render(spec, split, labels, first + chunkStart, chunk, pixels);
            if (moments != null) {
                moments.add(pixels, 0, chunk);
            }
            for (int i = 0; i < chunk; i++) {
                int label = labels[first + chunkStart + i];
                if (layout == CifarLayout.CIFAR100) {
                    labelBytes[0] = (byte) coarseLabel(label);
                }
                labelBytes[layout.labelOffset()] = (byte) label;
                out.write(labelBytes);
                out.write(pixels, i * IMAGE_BYTES, IMAGE_BYTES);
            }
            done[0] += chunk;
            progress.update(done[0], total);
        }
    }

    /** The CIFAR-100 layout's coarse label: twenty groups of five consecutive fine classes. */
    static int coarseLabel(int fineLabel) {
        return fineLabel / 5;
    }

    /**
     * Puts the complete files in place. The old metadata goes first, so that the folder reads as
     * incomplete until the new metadata lands last; earlier files that the new set does not have
     * (the other layout's) are deleted. The record goes when all is done.
     */
    private static void commit(Path folder, SyntheticGeneration generation, Set<String> earlier) throws IOException {
        Files.deleteIfExists(folder.resolve(SyntheticMetadata.FILE_NAME));
        for (String name : earlier) {
            if (!generation.files().contains(name)) {
                Files.deleteIfExists(folder.resolve(name));
            }
        }
        for (String name : generation.files()) {
            AtomicFiles.moveIntoPlace(generation.temporary(folder, name), folder.resolve(name));
        }
        Files.delete(folder.resolve(SyntheticGeneration.FILE_NAME));
    }
}
