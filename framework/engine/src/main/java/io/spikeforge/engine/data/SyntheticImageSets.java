package io.spikeforge.engine.data;

import io.spikeforge.engine.data.CifarReader.FileRecords;
import io.spikeforge.engine.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

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
    private static final long TRAIN_STREAM = 0x7261696EL;
    private static final long TEST_STREAM = 0x74657374L;

    private SyntheticImageSets() {
    }

    /**
     * Generates a set into a folder, creating it if needed. Each file is written to a temporary
     * file first and renamed only when all are complete; {@value SyntheticMetadata#FILE_NAME} comes
     * last, so an interrupted generation never leaves a set that reads as complete.
     *
     * @param folder an empty or new folder, or one holding an earlier synthetic set (which is replaced)
     * @throws FileAlreadyExistsException when the folder holds other files
     */
    public static SyntheticMetadata generate(SyntheticSpec spec, Path folder, GenerationProgress progress)
            throws IOException {
        Files.createDirectories(folder);
        checkOnlySyntheticFiles(folder);
        removeStaleTemporaries(folder);
        CifarLayout layout = spec.layout();
        long total = (long) spec.trainCount() + spec.testCount();
        long[] done = {0};
        Normalization.ChannelMoments moments = new Normalization.ChannelMoments();
        Map<Path, Path> temporaries = new LinkedHashMap<>();
        try {
            for (Split split : Split.values()) {
                int[] labels = labels(spec, split);
                int first = 0;
                for (FileRecords file : fileRecords(spec, split)) {
                    int start = first;
                    Path target = folder.resolve(file.fileName());
                    temporaries.put(target, AtomicFiles.writeTemporary(target, out -> {
                        writeRecords(spec, split, labels, start, file.records(), layout, out,
                                split == Split.TRAIN ? moments : null, done, total, progress);
                    }));
                    first += file.records();
                }
            }
            SyntheticMetadata metadata = new SyntheticMetadata(GENERATOR_VERSION, spec.seed(), spec.classCount(),
                    fileRecords(spec, Split.TRAIN), fileRecords(spec, Split.TEST), moments.normalization());
            commit(folder, temporaries, metadata);
            return metadata;
        } finally {
            for (Path temporary : temporaries.values()) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /** Renders a split in memory: the same images, labels and order as the files {@link #generate} writes. */
    public static ImageSet images(SyntheticSpec spec, Split split) {
        int count = spec.count(split);
        int[] labels = labels(spec, split);
        byte[] pixels = new byte[count * ImageSet.IMAGE_BYTES];
        render(spec, split, labels, 0, count, pixels);
        return new ImageSet(pixels, labels, spec.classCount());
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
                labels[first + i], spec.classCount(), pixels, i * ImageSet.IMAGE_BYTES));
    }

    private static void writeRecords(SyntheticSpec spec, Split split, int[] labels, int first, int count,
                                     CifarLayout layout, OutputStream out, Normalization.ChannelMoments moments,
                                     long[] done, long total, GenerationProgress progress) throws IOException {
        byte[] pixels = new byte[Math.min(count, IMAGES_PER_CHUNK) * ImageSet.IMAGE_BYTES];
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
                out.write(pixels, i * ImageSet.IMAGE_BYTES, ImageSet.IMAGE_BYTES);
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
     * incomplete until the new metadata lands; data files of the other layout are removed.
     */
    private static void commit(Path folder, Map<Path, Path> temporaries, SyntheticMetadata metadata) throws IOException {
        Files.deleteIfExists(folder.resolve(SyntheticMetadata.FILE_NAME));
        for (String name : dataFileNames()) {
            Path file = folder.resolve(name);
            if (!temporaries.containsKey(file)) {
                Files.deleteIfExists(file);
            }
        }
        for (Map.Entry<Path, Path> entry : temporaries.entrySet()) {
            AtomicFiles.moveIntoPlace(entry.getValue(), entry.getKey());
        }
        AtomicFiles.write(folder.resolve(README_FILE), SyntheticReadme.text(metadata).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(folder.resolve(SyntheticMetadata.FILE_NAME), metadata.toText().getBytes(StandardCharsets.UTF_8));
    }

    private static Set<String> dataFileNames() {
        Set<String> names = new TreeSet<>();
        for (CifarLayout layout : CifarLayout.values()) {
            for (Split split : Split.values()) {
                names.addAll(layout.fileNames(split));
            }
        }
        return names;
    }

    private static Set<String> ownedFileNames() {
        Set<String> names = dataFileNames();
        names.add(SyntheticMetadata.FILE_NAME);
        names.add(README_FILE);
        return names;
    }

    private static void checkOnlySyntheticFiles(Path folder) throws IOException {
        Set<String> owned = ownedFileNames();
        List<String> foreign;
        try (Stream<Path> entries = Files.list(folder)) {
            foreign = entries.map(p -> p.getFileName().toString())
                    .filter(name -> !owned.contains(name) && !name.endsWith(AtomicFiles.TEMPORARY_SUFFIX))
                    .sorted()
                    .collect(Collectors.toList());
        }
        if (!foreign.isEmpty()) {
            throw new FileAlreadyExistsException(folder.toString(), null, "holds files that are not part of a "
                    + "synthetic set (" + String.join(", ", foreign.subList(0, Math.min(3, foreign.size())))
                    + (foreign.size() > 3 ? ", ..." : "") + "); choose an empty or new folder");
        }
    }

    /** Temporary files left by a generation that was killed. */
    private static void removeStaleTemporaries(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path stale : entries.filter(p -> p.getFileName().toString().endsWith(AtomicFiles.TEMPORARY_SUFFIX)).toList()) {
                Files.delete(stale);
            }
        }
    }
}
