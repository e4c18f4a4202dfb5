package io.spikeforge.runner.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

/**
 * PNGs are encoded in memory: ImageIO's file cache is closed by its shutdown hook, which made a run
 * stopped by SIGTERM fail on its last epoch's plots.
 */
class EpochChartsTest {
    @Test
    void aChartIsAPngOfItsSize() throws Exception {
        XYChart chart = EpochCharts.chart("Loss", "loss");
        EpochCharts.line(chart, "model test", List.of(0, 1, 2), List.of(2.3, 1.9, 1.7), null, EpochCharts.color(0),
                false);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(EpochCharts.png(chart)));
        assertNotNull(image, "a PNG ImageIO reads");
        assertEquals(chart.getWidth(), image.getWidth());
        assertEquals(chart.getHeight(), image.getHeight());
    }

    @Test
    void encodingUsesNoCacheFile(@TempDir Path cache) throws Exception {
        File before = ImageIO.getCacheDirectory();
        boolean usedCache = ImageIO.getUseCache();
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 4, Color.RED.getRGB());
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            ImageIO.setUseCache(true);
            ImageIO.setCacheDirectory(cache.toFile());
            cache.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            // the check can fail: ImageIO.write to a byte stream does create its cache file here
            ImageIO.write(image, "png", new ByteArrayOutputStream());
            WatchKey withImageIo = watcher.poll(5, TimeUnit.SECONDS);
            assertNotNull(withImageIo, "ImageIO.write caches in a file in " + cache);
            withImageIo.pollEvents();
            assertTrue(withImageIo.reset());

            byte[] png = EpochCharts.png(image);
            assertNull(watcher.poll(1, TimeUnit.SECONDS), "EpochCharts.png created a file in ImageIO's cache");
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
            assertEquals(Color.RED.getRGB(), decoded.getRGB(3, 4));
        } finally {
            ImageIO.setCacheDirectory(before);
            ImageIO.setUseCache(usedCache);
        }
    }
}
