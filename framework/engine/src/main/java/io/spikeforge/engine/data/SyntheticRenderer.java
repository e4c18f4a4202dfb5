package io.spikeforge.engine.data;

/**
 * Paints one synthetic image. A class is a prototype: one of ten shapes, filled with one of ten
 * textures in a class hue and its complement. Each image varies it (position, scale, rotation,
 * colour, texture frequency and phase) over a random gradient background with distractor shapes
 * and bars, sometimes an occluding patch, then global contrast and brightness jitter and pixel noise.
 *
 * <p>Every image depends only on (seed, split, index, label), with one random stream per purpose,
 * and uses {@link StrictMath} and float arithmetic (strict since Java 17), so the bytes do not
 * depend on threads, platform or JDK.
 */
final class SyntheticRenderer {
    /** Shapes and textures a class prototype combines: 10 x 10 = 100 distinct classes. */
    static final int SHAPES = 10;
    static final int TEXTURES = 10;

    private static final int BAR = SHAPES;
    private static final int SOLID = 0;

    private static final long GEOMETRY = 1;
    private static final long COLOUR = 2;
    private static final long BACKGROUND = 3;
    private static final long CLUTTER = 4;
    private static final long OCCLUSION = 5;
    private static final long FINISH = 6;

    private static final double TWO_PI = 2 * StrictMath.PI;
    private static final int SIDE = ImageShape.RGB_32.side();
    private static final int CHANNELS = ImageShape.RGB_32.channels();
    private static final int PLANE = ImageShape.RGB_32.plane();
    private static final int IMAGE_BYTES = ImageShape.RGB_32.imageBytes();
    private static final float CENTRE = (SIDE - 1) / 2f;

    private SyntheticRenderer() {
    }

    /** The shape of a class's prototype. */
    static int shapeOf(int label) {
        return label % SHAPES;
    }

    /** The texture of a class's prototype; with the shape it tells all 100 classes apart. */
    static int textureOf(int label) {
        return (label / SHAPES + label) % TEXTURES;
    }

    /** The hue of a class's prototype, in [0, 1): spread so that neighbouring labels differ in colour. */
    static double hueOf(int label, int classCount) {
        return (37L * label % classCount) / (double) classCount;
    }

    /**
     * Renders one image as {@link ImageShape#RGB_32}'s bytes (planes R, G, B) at {@code offset}.
     *
     * @param stream identifies the split, so that train and test images differ
     */
    static void render(long seed, long stream, int index, int label, int classCount, byte[] out, int offset) {
        float[] canvas = new float[IMAGE_BYTES];
        paintBackground(canvas, SeededRandom.of(seed, stream, index, BACKGROUND));
        paintClutter(canvas, SeededRandom.of(seed, stream, index, CLUTTER));
        paintObject(canvas, label, classCount, SeededRandom.of(seed, stream, index, GEOMETRY),
                SeededRandom.of(seed, stream, index, COLOUR));
        paintOcclusion(canvas, SeededRandom.of(seed, stream, index, OCCLUSION));
        finish(canvas, SeededRandom.of(seed, stream, index, FINISH), out, offset);
    }

    private static void paintBackground(float[] canvas, SeededRandom random) {
        double hue = random.nextDouble();
        double saturation = random.uniform(0, 0.6);
        float[] from = hsv(hue, saturation, random.uniform(0.15, 0.9));
        float[] to = hsv(hue + random.uniform(-0.3, 0.3), saturation, random.uniform(0.15, 0.9));
        double direction = random.uniform(0, TWO_PI);
        float dx = (float) StrictMath.cos(direction);
        float dy = (float) StrictMath.sin(direction);
        double waveDirection = random.uniform(0, TWO_PI);
        float waveX = (float) (StrictMath.cos(waveDirection) * random.uniform(0.15, 0.6));
        float waveY = (float) (StrictMath.sin(waveDirection) * random.uniform(0.15, 0.6));
        float amplitude = (float) random.uniform(0, 0.12);
        float phase = (float) random.uniform(0, TWO_PI);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                float t = clamp(0.5f + ((x - CENTRE) * dx + (y - CENTRE) * dy) / SIDE, 0, 1);
                float wave = amplitude * (float) StrictMath.sin(x * waveX + y * waveY + phase);
                int p = y * SIDE + x;
                for (int c = 0; c < CHANNELS; c++) {
                    canvas[c * PLANE + p] = from[c] + (to[c] - from[c]) * t + wave;
                }
            }
        }
    }

    /** Small shapes of any class and thin bars: content that does not tell the class. */
    private static void paintClutter(float[] canvas, SeededRandom random) {
        int distractors = random.nextInt(4);
        for (int i = 0; i < distractors; i++) {
            double hue = random.nextDouble();
            double saturation = random.uniform(0.3, 1);
            double value = random.uniform(0.3, 1);
            drawShape(canvas, random.nextInt(SHAPES), random.nextInt(TEXTURES),
                    random.uniform(0, SIDE), random.uniform(0, SIDE), random.uniform(2.5, 6),
                    random.uniform(0, TWO_PI), random.uniform(5, 10), random.uniform(0, TWO_PI),
                    hsv(hue, saturation, value), hsv(hue + 0.5, saturation, value * 0.5), random.uniform(0.4, 0.9));
        }
        int bars = random.nextInt(3);
        for (int i = 0; i < bars; i++) {
            float[] colour = hsv(random.nextDouble(), random.uniform(0, 1), random.uniform(0.1, 1));
            drawShape(canvas, BAR, SOLID, random.uniform(0, SIDE), random.uniform(0, SIDE),
                    random.uniform(5, 12), random.uniform(0, TWO_PI), 1, 0, colour, colour, random.uniform(0.3, 0.8));
        }
    }

    private static void paintObject(float[] canvas, int label, int classCount, SeededRandom geometry,
                                    SeededRandom colour) {
        double centreX = CENTRE + geometry.uniform(-5.5, 5.5);
        double centreY = CENTRE + geometry.uniform(-5.5, 5.5);
        double radius = geometry.uniform(6.5, 12.5);
        double angle = geometry.uniform(-0.5, 0.5);
        double frequency = 7.5 * geometry.uniform(0.8, 1.25);
        double phase = geometry.uniform(0, TWO_PI);

        double hue = hueOf(label, classCount) + colour.uniform(-0.07, 0.07);
        double saturation = colour.uniform(0.45, 1);
        double value = colour.uniform(0.55, 1);
        float[] primary = hsv(hue, saturation, value);
        float[] secondary = hsv(hue + 0.5 + colour.uniform(-0.05, 0.05), saturation * colour.uniform(0.6, 1),
                value * colour.uniform(0.35, 0.7));
        drawShape(canvas, shapeOf(label), textureOf(label), centreX, centreY, radius, angle, frequency, phase,
                primary, secondary, 1);
    }

    private static void paintOcclusion(float[] canvas, SeededRandom random) {
        if (!random.chance(0.35)) {
            return;
        }
        int width = 5 + random.nextInt(8);
        int height = 5 + random.nextInt(8);
        int left = 4 + random.nextInt(SIDE - 8) - width / 2;
        int top = 4 + random.nextInt(SIDE - 8) - height / 2;
        float[] colour = hsv(random.nextDouble(), random.uniform(0, 1), random.uniform(0, 1));
        for (int y = Math.max(top, 0); y < Math.min(top + height, SIDE); y++) {
            for (int x = Math.max(left, 0); x < Math.min(left + width, SIDE); x++) {
                for (int c = 0; c < CHANNELS; c++) {
                    canvas[c * PLANE + y * SIDE + x] = colour[c];
                }
            }
        }
    }

    /** Contrast and brightness jitter, pixel noise, then rounding to bytes. */
    private static void finish(float[] canvas, SeededRandom random, byte[] out, int offset) {
        float contrast = (float) random.uniform(0.8, 1.2);
        float brightness = (float) random.uniform(-0.08, 0.08);
        float noise = (float) random.uniform(0.01, 0.06);
        for (int i = 0; i < IMAGE_BYTES; i++) {
            float v = (canvas[i] - 0.5f) * contrast + 0.5f + brightness + noise * (float) random.nearGaussian();
            out[offset + i] = (byte) (int) (clamp(v, 0, 1) * 255f + 0.5f);
        }
    }

    /**
     * Blends a textured shape into the canvas with an anti-aliased edge.
     *
     * @param radius the shape's size in pixels (its unit in shape coordinates)
     * @param frequency the texture's angular frequency in shape coordinates
     */
    private static void drawShape(float[] canvas, int shape, int texture, double centreX, double centreY,
                                  double radius, double angle, double frequency, double phase, float[] primary,
                                  float[] secondary, double opacity) {
        float cos = (float) StrictMath.cos(angle);
        float sin = (float) StrictMath.sin(angle);
        float scale = (float) radius;
        float f = (float) frequency;
        float ph = (float) phase;
        float alphaScale = (float) opacity;
        int reach = (int) StrictMath.ceil(radius * 1.5) + 1;
        int x0 = Math.max(0, (int) centreX - reach);
        int x1 = Math.min(SIDE - 1, (int) centreX + reach);
        int y0 = Math.max(0, (int) centreY - reach);
        int y1 = Math.min(SIDE - 1, (int) centreY + reach);
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                float px = (float) (x - centreX);
                float py = (float) (y - centreY);
                float u = (cos * px + sin * py) / scale;
                float v = (-sin * px + cos * py) / scale;
                float alpha = clamp(0.5f - signedDistance(shape, u, v) * scale, 0, 1) * alphaScale;
                if (alpha <= 0) {
                    continue;
                }
                float t = texture(texture, u, v, f, ph);
                int p = y * SIDE + x;
                for (int c = 0; c < CHANNELS; c++) {
                    float colour = primary[c] + (secondary[c] - primary[c]) * t;
                    int i = c * PLANE + p;
                    canvas[i] += (colour - canvas[i]) * alpha;
                }
            }
        }
    }

    /** Signed distance (negative inside) from a shape of unit size, in shape coordinates; approximate for some shapes. */
    private static float signedDistance(int shape, float u, float v) {
        float au = Math.abs(u);
        float av = Math.abs(v);
        float length = (float) StrictMath.sqrt(u * u + v * v);
        return switch (shape) {
            case 0 -> length - 0.95f; // disk
            case 1 -> Math.max(au, av) - 0.8f; // square
            case 2 -> triangle(u, v); // triangle
            case 3 -> Math.min(Math.max(au - 0.95f, av - 0.3f), Math.max(au - 0.3f, av - 0.95f)); // plus
            case 4 -> Math.abs(length - 0.7f) - 0.25f; // ring
            case 5 -> length - (0.62f + 0.33f * (float) StrictMath.cos(5 * StrictMath.atan2(v, u))); // star
            case 6 -> Math.max(length - 0.95f, // crescent: a disk less a shifted disk
                    0.72f - (float) StrictMath.sqrt((u - 0.45f) * (u - 0.45f) + (v + 0.15f) * (v + 0.15f)));
            case 7 -> ((float) StrictMath.sqrt(u * u + 5.3f * v * v) - 0.95f) * 0.45f; // ellipse, 2.3:1
            case 8 -> Math.min(Math.max(Math.abs(u + 0.5f) - 0.3f, av - 0.9f), // L: a bar and a foot
                    Math.max(au - 0.8f, Math.abs(v - 0.6f) - 0.3f));
            case 9 -> Math.max(Math.max(au, av) - 0.9f, 0.5f - Math.max(au, av)); // frame
            case BAR -> Math.max(au - 1f, av - 0.12f);
            default -> throw new IllegalArgumentException("no shape " + shape);
        };
    }

    private static float triangle(float u, float v) {
        // equilateral, apex up, vertices at distance 1 from the centre: the largest of the three edge distances
        float edgeBelow = v - 0.5f;
        float edgeLeft = -0.8660254f * u - 0.5f * v - 0.5f;
        float edgeRight = 0.8660254f * u - 0.5f * v - 0.5f;
        return Math.max(edgeBelow, Math.max(edgeLeft, edgeRight));
    }

    /** How much of the secondary colour a point shows, in [0, 1]. */
    private static float texture(int texture, float u, float v, float frequency, float phase) {
        return switch (texture) {
            case 0 -> 0; // solid
            case 1 -> step(StrictMath.sin(v * frequency + phase)); // horizontal stripes
            case 2 -> step(StrictMath.sin(u * frequency + phase)); // vertical stripes
            case 3 -> step(StrictMath.sin((u + v) * frequency * 0.7f + phase)); // diagonal stripes
            case 4 -> step(StrictMath.sin(u * frequency + phase) * StrictMath.sin(v * frequency)); // checks
            case 5 -> StrictMath.cos(u * frequency + phase) * StrictMath.cos(v * frequency) > 0.4 ? 1 : 0; // dots
            case 6 -> clamp((float) StrictMath.sqrt(u * u + v * v), 0, 1); // radial gradient
            case 7 -> clamp((u + 1) / 2, 0, 1); // linear gradient
            case 8 -> step(StrictMath.sin(StrictMath.sqrt(u * u + v * v) * frequency * 1.5 + phase)); // rings
            case 9 -> v > 0 ? 1 : 0; // two halves
            default -> throw new IllegalArgumentException("no texture " + texture);
        };
    }

    private static float step(double value) {
        return value > 0 ? 1 : 0;
    }

    private static float clamp(float value, float low, float high) {
        return Math.max(low, Math.min(high, value));
    }

    /** RGB in [0, 1] of a colour given by hue (wrapping), saturation and value. */
    private static float[] hsv(double hue, double saturation, double value) {
        double h = (hue - StrictMath.floor(hue)) * 6;
        int sector = Math.min((int) h, 5);
        double fraction = h - sector;
        float v = (float) value;
        float p = (float) (value * (1 - saturation));
        float q = (float) (value * (1 - saturation * fraction));
        float t = (float) (value * (1 - saturation * (1 - fraction)));
        return switch (sector) {
            case 0 -> new float[] {v, t, p};
            case 1 -> new float[] {q, v, p};
            case 2 -> new float[] {p, v, t};
            case 3 -> new float[] {p, q, v};
            case 4 -> new float[] {t, p, v};
            default -> new float[] {v, p, q};
        };
    }
}
