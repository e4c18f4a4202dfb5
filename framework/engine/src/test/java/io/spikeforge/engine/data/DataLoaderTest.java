package io.spikeforge.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class DataLoaderTest {
    private static final ImageSet IMAGES = SyntheticImageSets.images(new SyntheticSpec(10, 50, 0, 4), Split.TRAIN);
    private static final LoaderOptions TRAINING =
            LoaderOptions.training(8, 123, Augmentation.CIFAR_STANDARD, Normalization.CIFAR10);

    @Test
    void epochOrderIsAPermutationFixedBySeedAndEpochAlone() {
        DataLoader loader = new DataLoader(IMAGES, TRAINING);
        for (int epoch = 0; epoch < 5; epoch++) {
            loader.epochOrder(epoch);
        }
        int[] fifth = loader.epochOrder(5);

        assertArrayEquals(fifth, new DataLoader(IMAGES, TRAINING).epochOrder(5), "a resumed run gets the same order");
        int[] sorted = fifth.clone();
        Arrays.sort(sorted);
        int[] identity = new int[IMAGES.size()];
        Arrays.setAll(identity, i -> i);
        assertArrayEquals(identity, sorted, "every image once");
        assertFalse(Arrays.equals(fifth, loader.epochOrder(6)), "epochs differ");
        assertFalse(Arrays.equals(fifth, identity), "shuffled");
        LoaderOptions otherSeed = LoaderOptions.training(8, 124, Augmentation.CIFAR_STANDARD, Normalization.CIFAR10);
        assertFalse(Arrays.equals(fifth, new DataLoader(IMAGES, otherSeed).epochOrder(5)), "seeds differ");
    }

    @Test
    void evaluationKeepsTheImageOrder() {
        DataLoader loader = new DataLoader(IMAGES, LoaderOptions.evaluation(16, Normalization.CIFAR10));
        int[] identity = new int[IMAGES.size()];
        Arrays.setAll(identity, i -> i);
        assertArrayEquals(identity, loader.epochOrder(7));
    }

    @Test
    void lastPartialBatchIsKeptUnlessDropped() {
        DataLoader keep = new DataLoader(IMAGES, TRAINING);
        assertEquals(7, keep.batchesPerEpoch());
        assertEquals(8, keep.batch(0, 5).size());
        assertEquals(2, keep.batch(0, 6).size());
        assertArrayEquals(new long[] {2, 3, 32, 32}, keep.batch(0, 6).images().shape());

        DataLoader drop = new DataLoader(IMAGES, TRAINING.withDropLast(true));
        assertEquals(6, drop.batchesPerEpoch());
        assertThrows(IndexOutOfBoundsException.class, () -> drop.batch(0, 6));
    }

    @Test
    void backgroundBatchesEqualTheBatchesAssembledInPlace() throws InterruptedException {
        DataLoader loader = new DataLoader(IMAGES, TRAINING);
        List<Batch> background = new ArrayList<>();
        try (EpochBatches batches = loader.epoch(3)) {
            while (batches.hasNext()) {
                background.add(batches.next());
            }
        }
        DataLoader slow = new DataLoader(IMAGES, TRAINING.withPrefetch(1));
        List<Batch> slowConsumer = new ArrayList<>();
        try (EpochBatches batches = slow.epoch(3)) {
            while (batches.hasNext()) {
                Thread.sleep(3);
                slowConsumer.add(batches.next());
            }
        }

        assertEquals(loader.batchesPerEpoch(), background.size());
        List<Integer> seen = new ArrayList<>();
        for (int k = 0; k < background.size(); k++) {
            Batch expected = loader.batch(3, k);
            for (Batch actual : List.of(background.get(k), slowConsumer.get(k))) {
                assertEquals(3, actual.epoch());
                assertEquals(k, actual.number());
                assertArrayEquals(expected.imageIndices(), actual.imageIndices(), "batch " + k);
                assertArrayEquals(expected.labels(), actual.labels(), "batch " + k);
                assertArrayEquals(expected.images().data().asFloat(), actual.images().data().asFloat(), "batch " + k);
            }
            for (int b = 0; b < expected.size(); b++) {
                assertEquals(IMAGES.label(expected.imageIndices()[b]), expected.labels()[b]);
                seen.add(expected.imageIndices()[b]);
            }
        }
        assertEquals(IMAGES.size(), seen.stream().distinct().count(), "each image once per epoch");
    }

    @Test
    void batchArraysDoNotShareTheReusedBuffer() {
        DataLoader loader = new DataLoader(IMAGES, TRAINING);
        try (EpochBatches batches = loader.epoch(0)) {
            Batch first = batches.next();
            float[] firstValues = first.images().data().asFloat();
            batches.next();
            batches.next();
            assertArrayEquals(firstValues, first.images().data().asFloat());
            assertArrayEquals(loader.batch(0, 0).images().data().asFloat(), firstValues);
        }
    }

    @Test
    void closingEarlyStopsTheWorker() {
        ImageSet many = SyntheticImageSets.images(new SyntheticSpec(10, 300, 0, 1), Split.TRAIN);
        DataLoader loader = new DataLoader(many, LoaderOptions.training(4, 1, Augmentation.NONE,
                Normalization.unitRange(3)).withPrefetch(2));
        EpochBatches batches = loader.epoch(0);
        batches.next();

        assertTimeoutPreemptively(Duration.ofSeconds(10), batches::close);

        assertFalse(batches.workerAlive());
        assertFalse(batches.hasNext());
        assertThrows(NoSuchElementException.class, batches::next);
        batches.close();
    }

    @Test
    void aFinishedEpochEndsItsWorker() {
        EpochBatches batches = new DataLoader(IMAGES, TRAINING).epoch(0);
        int count = 0;
        while (batches.hasNext()) {
            batches.next();
            count++;
        }
        batches.close();
        assertEquals(7, count);
        assertFalse(batches.workerAlive());
        assertThrows(NoSuchElementException.class, batches::next);
    }

    @Test
    void aWorkerFailureReachesTheConsumerWithItsCause() {
        IllegalStateException failure = new IllegalStateException("disk on fire");
        Batch dummy = new Batch(Nd4j.zeros(1, 3, 32, 32), new int[1], new int[1], 0, 0);
        EpochBatches batches = new EpochBatches(0, 5, 2, number -> {
            if (number == 2) {
                throw failure;
            }
            return dummy;
        });

        assertSame(dummy, batches.next());
        assertSame(dummy, batches.next());
        DataLoaderException e = assertThrows(DataLoaderException.class, batches::next);

        assertSame(failure, e.getCause());
        assertTrue(e.getMessage().contains("batch 2 of epoch 0"), e.getMessage());
        assertFalse(batches.hasNext());
        batches.close();
        assertFalse(batches.workerAlive());
    }
}
