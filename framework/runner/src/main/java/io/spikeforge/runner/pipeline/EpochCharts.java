package io.spikeforge.runner.pipeline;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The look of Spikeforge's curves over epochs, shared by a run's plots ({@code loss.png},
 * {@code accuracy.png}) and a sweep report's: size, white background, legend on the right, whole
 * epochs on the x axis, one colour per curve from a fixed palette, markers on every point.
 */
public final class EpochCharts {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;
    /** Matplotlib's "tab10": distinct colours, in an order that keeps neighbours apart. */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};

    private EpochCharts() {
    }

    /** An empty chart with epochs on the x axis. */
    public static XYChart chart(String title, String yAxis) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch")
                .yAxisTitle(yAxis).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("0");
        return chart;
    }

    /** The colour of the {@code index}-th curve (from 0), repeating after the palette's ten. */
    public static Color color(int index) {
        return PALETTE[index % PALETTE.length];
    }

    /**
     * Adds a curve, solid or dashed; nothing when it has no points.
     *
     * @param errors each point's error bar (half its length), or null for none
     */
    public static void line(XYChart chart, String name, List<? extends Number> epochs, List<? extends Number> values,
                            List<? extends Number> errors, Color color, boolean dashed) {
        if (epochs.isEmpty()) {
            return;
        }
        XYSeries series = errors == null ? chart.addSeries(name, epochs, values)
                : chart.addSeries(name, epochs, values, errors);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setLineStyle(dashed ? SeriesLines.DASH_DASH : SeriesLines.SOLID);
        series.setLineColor(color);
        series.setMarkerColor(color);
    }

    /** The chart as PNG bytes ({@link #png(BufferedImage)}). */
    public static byte[] png(XYChart chart) throws IOException {
        return png(BitmapEncoder.getBufferedImage(chart));
    }

    /**
     * The image as PNG bytes, encoded through a stream cached in memory. {@code ImageIO.write} to a
     * byte stream caches in a temporary file, which ImageIO's own shutdown hook closes: a run
     * stopped by Ctrl-C or SIGTERM that finishes its epoch while the JVM shuts down failed on
     * "cannot write the plots ...: closed".
     */
    public static byte[] png(BufferedImage image) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(image);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
