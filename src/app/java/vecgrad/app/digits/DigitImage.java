package vecgrad.app.digits;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import vecgrad.io.InputFiles;

/**
 * Converts an image of one handwritten digit into the 28 x 28 ink values MNIST's network expects.
 *
 * <p>The steps follow how MNIST itself was made (LeCun, Cortes and Burges, "The MNIST database of
 * handwritten digits": "size normalized to fit in a 20x20 pixel box while preserving their aspect
 * ratio ... anti-aliasing ... centered in a 28x28 image by computing the center of mass of the
 * pixels, and translating the image so as to position this point at the center"):
 * <ol>
 * <li>greyscale by Rec. 601 luma, transparent pixels composited over white;
 * <li>ink is dark on a light background and light on a dark one, decided by the mean of the border
 *     pixels (a frame 1/20 of the shorter side wide);
 * <li>ink is measured from the background level (the median border value) up to the darkest ink, so
 *     a grey sheet of paper counts as no ink; values under {@value #NOISE_FLOOR} of that range are
 *     dropped as noise;
 * <li>crop to the bounding box of the ink, scale it by area averaging so its longer side is 20
 *     pixels, aspect ratio kept;
 * <li>place it in 28 x 28 so that its centre of mass (pixel centres at i + 0.5) falls on the
 *     nearest whole pixel to (14, 14), the field's centre, keeping the whole box inside.
 * </ol>
 */
public final class DigitImage {

    /** The side of MNIST images. */
    public static final int SIZE = 28;
    /** The side of the box the digit is scaled to fit. */
    public static final int BOX = 20;
    /** Ink below this fraction of the image's ink range counts as background. */
    static final double NOISE_FLOOR = 0.1;
    /** An image whose ink range is below this has no digit. */
    static final double MIN_CONTRAST = 0.15;
    /**
     * The most pixels read: 4096 x 4096, a 16-megapixel photo. A digit needs 20 x 20; the limit is for
     * memory (about 20 bytes per pixel while converting), not for quality.
     */
    static final long MAX_PIXELS = 4096L * 4096L;

    private DigitImage() {
    }

    /**
     * Reads a PNG, JPEG (or any format {@link ImageIO} reads) and converts it like {@link #fromImage}.
     *
     * <p>Width and height are read from the image header and checked against {@value #MAX_PIXELS}
     * pixels before any pixel is decoded, so a small file that declares a huge image costs nothing.
     * Memory is then at most about 20 bytes per pixel (the decoded image, up to 8 bytes per pixel for
     * 16-bit RGBA, then the grey and ink planes as floats): some 340 MB for the largest image accepted.
     *
     * @return 784 ink values in [0, 1], row-major
     * @throws IllegalArgumentException if the path is not a readable image, the image has more than
     *                                  {@value #MAX_PIXELS} pixels, or it shows no digit
     * @throws IOException              if the file cannot be read, or is a folder, FIFO, device or other
     *                                  special file (refused before it is opened)
     */
    public static float[] read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        InputFiles.requireRegularFile(file, "an image file (PNG or JPEG)");
        long bytes = Files.size(file);
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException("expected a PNG or JPEG image, got a file no image reader recognises: "
                        + file + " (" + bytes + " bytes)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w * h > MAX_PIXELS) {
                    throw new IllegalArgumentException("expected an image of at most " + MAX_PIXELS + " pixels (4096 x 4096),"
                            + " got " + w + " x " + h + " in " + file + ": scale it down first");
                }
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IIOException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("expected a readable PNG or JPEG image, got a file that fails to decode: "
                    + file + " (" + shorten(String.valueOf(e.getMessage())) + ")", e);
        }
        return fromImage(image);
    }

    /** A decoder's message cut to 100 characters, so that one line stays one short line. */
    private static String shorten(String message) {
        return message.length() <= 100 ? message : message.substring(0, 100) + "\u2026";
    }

    /**
     * Converts an image of one digit, ink dark on light or light on dark, into MNIST's format.
     *
     * @return 784 ink values in [0, 1], row-major; the strongest ink is 1
     * @throws IllegalArgumentException if the image is too large or shows no ink
     */
    public static float[] fromImage(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        int w = image.getWidth();
        int h = image.getHeight();
        if ((long) w * h > MAX_PIXELS) {
            throw new IllegalArgumentException("expected an image of at most " + MAX_PIXELS + " pixels, got " + w + " x " + h);
        }
        return fromGrey(grey(image), w, h);
    }

    /** Brightness in [0, 1] per pixel, row-major; transparency composited over white. */
    static float[] grey(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] g = new float[w * h];
        Raster raster = image.getRaster();
        boolean plainGrey = image.getType() == BufferedImage.TYPE_BYTE_GRAY || image.getType() == BufferedImage.TYPE_USHORT_GRAY;
        if (plainGrey) {
            // getRGB would pass grey through a linear-to-sRGB conversion and brighten it; the samples are the truth.
            double max = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    g[y * w + x] = (float) (raster.getSample(x, y, 0) / max);
                }
            }
            return g;
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                double a = (argb >>> 24) / 255.0;
                double luma = (0.299 * ((argb >> 16) & 0xff) + 0.587 * ((argb >> 8) & 0xff) + 0.114 * (argb & 0xff)) / 255.0;
                g[y * w + x] = (float) (a * luma + (1 - a));
            }
        }
        return g;
    }

    /** The MNIST conversion of a greyscale image given as brightness in [0, 1]. */
    static float[] fromGrey(float[] grey, int w, int h) {
        float[] ink = toInk(grey, w, h);
        int x0 = w;
        int y0 = h;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (ink[y * w + x] > 0) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        int bw = x1 - x0 + 1;
        int bh = y1 - y0 + 1;
        double scale = (double) BOX / Math.max(bw, bh);
        int tw = Math.max(1, (int) Math.round(bw * scale));
        int th = Math.max(1, (int) Math.round(bh * scale));
        float[] box = areaAverage(ink, w, x0, y0, bw, bh, tw, th);

        double mass = 0;
        double mx = 0;
        double my = 0;
        for (int y = 0; y < th; y++) {
            for (int x = 0; x < tw; x++) {
                double v = box[y * tw + x];
                mass += v;
                mx += v * (x + 0.5);
                my += v * (y + 0.5);
            }
        }
        int ox = clamp((int) Math.round(SIZE / 2.0 - mx / mass), 0, SIZE - tw);
        int oy = clamp((int) Math.round(SIZE / 2.0 - my / mass), 0, SIZE - th);
        float[] out = new float[SIZE * SIZE];
        float max = 0;
        for (float v : box) {
            max = Math.max(max, v);
        }
        for (int y = 0; y < th; y++) {
            for (int x = 0; x < tw; x++) {
                out[(oy + y) * SIZE + ox + x] = Math.min(1f, box[y * tw + x] / max);
            }
        }
        return out;
    }

    /** Ink in [0, 1] measured from the background level; throws if there is none. */
    private static float[] toInk(float[] grey, int w, int h) {
        int frame = Math.max(1, Math.min(w, h) / 20);
        float[] border = new float[2 * frame * (w + h)]; // >= the frame's w·h - (w - 2f)(h - 2f) pixels
        int n = 0;
        double sum = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (x < frame || y < frame || x >= w - frame || y >= h - frame) {
                    border[n++] = grey[y * w + x];
                    sum += grey[y * w + x];
                }
            }
        }
        boolean lightBackground = sum / n > 0.5;
        float[] ink = new float[grey.length];
        float top = 0;
        for (int i = 0; i < grey.length; i++) {
            ink[i] = lightBackground ? 1 - grey[i] : grey[i];
            top = Math.max(top, ink[i]);
        }
        float[] b = Arrays.copyOf(border, n);
        for (int i = 0; i < n; i++) {
            b[i] = lightBackground ? 1 - b[i] : b[i];
        }
        Arrays.sort(b);
        float background = b[n / 2];
        double range = top - background;
        if (range < MIN_CONTRAST) {
            throw new IllegalArgumentException("expected a digit, got an image without ink: the strongest ink is "
                    + String.format(java.util.Locale.ROOT, "%.3f", range) + " above the background (at least "
                    + MIN_CONTRAST + " needed), " + w + " x " + h + " pixels");
        }
        for (int i = 0; i < ink.length; i++) {
            double v = (ink[i] - background) / range;
            ink[i] = v < NOISE_FLOOR ? 0f : (float) Math.min(1, v);
        }
        return ink;
    }

    /**
     * The box {@code (x0, y0, bw, bh)} of {@code src} (row width {@code w}) resampled to {@code tw x th}:
     * each target pixel is the mean of the source area it covers, partial pixels weighted by their
     * covered fraction. The box filter is separable: rows first, then columns.
     */
    static float[] areaAverage(float[] src, int w, int x0, int y0, int bw, int bh, int tw, int th) {
        double[] rows = new double[bh * tw];
        double sx = (double) bw / tw;
        for (int y = 0; y < bh; y++) {
            int base = (y0 + y) * w + x0;
            for (int t = 0; t < tw; t++) {
                rows[y * tw + t] = coverage(t * sx, (t + 1) * sx, bw, i -> src[base + i]) / sx;
            }
        }
        float[] out = new float[tw * th];
        double sy = (double) bh / th;
        for (int t = 0; t < th; t++) {
            for (int x = 0; x < tw; x++) {
                final int col = x;
                out[t * tw + x] = (float) (coverage(t * sy, (t + 1) * sy, bh, i -> rows[i * tw + col]) / sy);
            }
        }
        return out;
    }

    /** The integral over [a, b) of a step function whose step i (0 <= i < n) has the given value. */
    private static double coverage(double a, double b, int n, java.util.function.IntToDoubleFunction value) {
        double s = 0;
        int last = Math.min(n - 1, (int) Math.ceil(b) - 1);
        for (int i = (int) Math.floor(a); i <= last; i++) {
            double overlap = Math.min(b, i + 1) - Math.max(a, i);
            if (overlap > 0) {
                s += overlap * value.applyAsDouble(i);
            }
        }
        return s;
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
