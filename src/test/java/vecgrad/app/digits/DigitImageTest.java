package vecgrad.app.digits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.testing.SpecialFiles;

final class DigitImageTest {

    @TempDir
    Path tmp;

    /** A thick vertical bar, like a '1', off-centre on a 200 x 300 canvas. */
    private static BufferedImage one(Color ink, Color paper) {
        BufferedImage img = canvas(200, 300, paper);
        Graphics2D g = img.createGraphics();
        g.setColor(ink);
        g.fillRect(130, 40, 30, 220);
        g.dispose();
        return img;
    }

    /** A ring, like a '0'. */
    private static BufferedImage zero(Color ink, Color paper) {
        BufferedImage img = canvas(240, 300, paper);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(ink);
        g.setStroke(new BasicStroke(16));
        g.drawOval(40, 30, 120, 200);
        g.dispose();
        return img;
    }

    private static BufferedImage canvas(int w, int h, Color paper) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(paper);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    /** {x, y} centre of mass with pixel centres at i + 0.5. */
    private static double[] centreOfMass(float[] px) {
        double m = 0;
        double x = 0;
        double y = 0;
        for (int i = 0; i < 784; i++) {
            m += px[i];
            x += px[i] * (i % 28 + 0.5);
            y += px[i] * (i / 28 + 0.5);
        }
        return new double[] {x / m, y / m};
    }

    /** {width, height} of the bounding box of non-zero pixels. */
    private static int[] inkBox(float[] px) {
        int x0 = 28;
        int y0 = 28;
        int x1 = -1;
        int y1 = -1;
        for (int i = 0; i < 784; i++) {
            if (px[i] > 0) {
                x0 = Math.min(x0, i % 28);
                x1 = Math.max(x1, i % 28);
                y0 = Math.min(y0, i / 28);
                y1 = Math.max(y1, i / 28);
            }
        }
        return new int[] {x1 - x0 + 1, y1 - y0 + 1};
    }

    private static void assertMnistLike(float[] px) {
        assertThat(px).hasSize(784);
        for (float v : px) {
            assertThat(v).isBetween(0f, 1f);
        }
        double[] c = centreOfMass(px);
        // an integer shift puts the centre of mass within half a pixel of (14, 14)
        assertThat(c[0]).isCloseTo(14, within(0.5));
        assertThat(c[1]).isCloseTo(14, within(0.5));
        int[] box = inkBox(px);
        assertThat(box[0]).isLessThanOrEqualTo(20);
        assertThat(box[1]).isLessThanOrEqualTo(20);
        assertThat(Math.max(box[0], box[1])).isEqualTo(20);
    }

    @Test
    void fromImage_barBecomesACentredUprightStroke() {
        float[] px = DigitImage.fromImage(one(Color.BLACK, Color.WHITE));
        assertMnistLike(px);
        int[] box = inkBox(px);
        // 30 x 220 scaled to height 20: 30 · 20/220 = 2.7, about 3 columns
        assertThat(box[1]).isEqualTo(20);
        assertThat(box[0]).isBetween(2, 4);
        assertThat(px[14 * 28 + 14] + px[14 * 28 + 13]).isGreaterThan(0.9f); // ink at the centre
        assertThat(px[14 * 28 + 4]).isZero();
    }

    @Test
    void fromImage_ringKeepsItsHole() {
        float[] px = DigitImage.fromImage(zero(Color.BLACK, Color.WHITE));
        assertMnistLike(px);
        assertThat(inkBox(px)[1]).isEqualTo(20);
        assertThat(inkBox(px)[0]).isBetween(12, 14); // 136 x 216 scaled by 20/216: 12.6
        assertThat(px[14 * 28 + 14]).isZero(); // the hole
        float rowMax = 0;
        for (int x = 0; x < 28; x++) {
            rowMax = Math.max(rowMax, px[14 * 28 + x]);
        }
        assertThat(rowMax).isGreaterThan(0.8f); // the ring's sides
    }

    @Test
    void fromImage_lightInkOnDarkGivesTheSameDigit() {
        float[] dark = DigitImage.fromImage(zero(Color.BLACK, Color.WHITE));
        float[] light = DigitImage.fromImage(zero(Color.WHITE, Color.BLACK));
        assertThat(light).containsExactly(dark, within(1e-5f));
        assertThat(DigitImage.fromImage(one(Color.WHITE, Color.BLACK))).containsExactly(
                DigitImage.fromImage(one(Color.BLACK, Color.WHITE)), within(1e-5f));
    }

    @Test
    void fromImage_greyPaperCountsAsNoInk() {
        // Blue ink on grey paper (a photo): the paper's level is the background, not ink.
        float[] px = DigitImage.fromImage(one(new Color(20, 30, 90), new Color(190, 190, 180)));
        assertMnistLike(px);
        assertThat(px[0]).isZero();
        assertThat(px[27 * 28 + 27]).isZero();
    }

    @Test
    void fromImage_greyscaleImageUsesItsSamples() {
        BufferedImage rgb = zero(Color.BLACK, Color.WHITE);
        BufferedImage grey = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < rgb.getHeight(); y++) {
            for (int x = 0; x < rgb.getWidth(); x++) {
                grey.getRaster().setSample(x, y, 0, rgb.getRGB(x, y) & 0xff); // r = g = b
            }
        }
        assertThat(DigitImage.fromImage(grey)).containsExactly(DigitImage.fromImage(rgb), within(1e-5f));
    }

    @Test
    void fromImage_transparentBackgroundIsPaper() {
        BufferedImage img = new BufferedImage(200, 300, BufferedImage.TYPE_INT_ARGB); // all transparent
        Graphics2D g = img.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(130, 40, 30, 220);
        g.dispose();
        assertMnistLike(DigitImage.fromImage(img));
    }

    @Test
    void read_pngAndJpegFiles() throws Exception {
        BufferedImage img = zero(Color.BLACK, Color.WHITE);
        Path png = tmp.resolve("zero.png");
        Path jpg = tmp.resolve("zero.jpg");
        assertThat(ImageIO.write(img, "png", png.toFile())).isTrue();
        assertThat(ImageIO.write(img, "jpeg", jpg.toFile())).isTrue();
        float[] fromPng = DigitImage.read(png);
        assertThat(fromPng).containsExactly(DigitImage.fromImage(img), within(0f));
        float[] fromJpg = DigitImage.read(jpg);
        assertMnistLike(fromJpg);
        double diff = 0;
        for (int i = 0; i < 784; i++) {
            diff = Math.max(diff, Math.abs(fromJpg[i] - fromPng[i]));
        }
        assertThat(diff).as("JPEG artefacts stay small").isLessThan(0.2);
    }

    @Test
    void read_rejectsWhatIsNotAnImage() throws Exception {
        Path text = Files.writeString(tmp.resolve("digit.png"), "this is not a picture");
        assertThatThrownBy(() -> DigitImage.read(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no image reader recognises").hasMessageContaining("digit.png");
        Path empty = Files.createFile(tmp.resolve("empty.jpg"));
        assertThatThrownBy(() -> DigitImage.read(empty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 bytes");
        assertThatThrownBy(() -> DigitImage.read(tmp.resolve("missing.png"))).isInstanceOf(NoSuchFileException.class)
                .hasMessage(tmp.resolve("missing.png") + ": expected an image file (PNG or JPEG), found nothing there");
        assertThatThrownBy(() -> DigitImage.read(tmp)).isInstanceOf(FileSystemException.class)
                .hasMessage(tmp + ": expected an image file (PNG or JPEG), found a folder");
    }

    @Test
    void read_rejectsATruncatedPng() throws Exception {
        Path png = tmp.resolve("cut.png");
        ImageIO.write(zero(Color.BLACK, Color.WHITE), "png", png.toFile());
        byte[] bytes = Files.readAllBytes(png);
        Files.write(png, java.util.Arrays.copyOf(bytes, 60));
        assertThatThrownBy(() -> DigitImage.read(png)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cut.png");
    }

    @Test
    void fromImage_rejectsABlankImage() {
        assertThatThrownBy(() -> DigitImage.fromImage(canvas(50, 40, Color.WHITE)))
                .hasMessageContaining("without ink").hasMessageContaining("50 x 40");
        assertThatThrownBy(() -> DigitImage.fromImage(canvas(50, 40, new Color(128, 128, 128))))
                .hasMessageContaining("without ink");
        assertThatThrownBy(() -> DigitImage.fromImage(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void areaAverage_meansOfCoveredAreas() {
        // 3 pixels [0, 0.3, 0.9] into 2: [0 + 0.5·0.3, 0.5·0.3 + 0.9] / 1.5
        float[] out = DigitImage.areaAverage(new float[] {0f, 0.3f, 0.9f}, 3, 0, 0, 3, 1, 2, 1);
        assertThat(out).containsExactly(new float[] {0.1f, 0.7f}, within(1e-6f));
        // upscaling repeats pixels
        assertThat(DigitImage.areaAverage(new float[] {0.2f, 0.8f}, 2, 0, 0, 2, 1, 4, 1))
                .containsExactly(new float[] {0.2f, 0.2f, 0.8f, 0.8f}, within(1e-6f));
    }

    @Test
    @Timeout(10)
    void read_fifo_refusedWithoutBlocking() throws Exception {
        Path fifo = SpecialFiles.fifo(tmp.resolve("pipe.png"));
        assertThatThrownBy(() -> DigitImage.read(fifo)).isInstanceOf(FileSystemException.class)
                .hasMessage(fifo + ": expected an image file (PNG or JPEG), found a FIFO (named pipe)");
    }

    @Test
    @Timeout(20)
    void read_hugeDeclaredSize_refusedBeforeDecoding() throws Exception {
        // 46,000 x 46,000 grey pixels would take 2 GB decoded; the file declares them in its header only.
        Path png = PngFiles.write(tmp.resolve("huge.png"), 46_000, 46_000, 100);
        assertThat(Files.size(png)).isLessThan(100_000);
        long before = usedHeap();

        assertThatThrownBy(() -> DigitImage.read(png)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected an image of at most 16777216 pixels (4096 x 4096), got 46000 x 46000 in " + png
                        + ": scale it down first");
        assertThat(usedHeap() - before).as("heap grown while refusing").isLessThan(64L << 20);
    }

    @Test
    void read_largestAcceptedSideByOne_decodes() throws Exception {
        // 4096 x 1 is within the limit and is decoded: the check is on pixels, not on the shape.
        Path png = PngFiles.write(tmp.resolve("line.png"), 4096, 1, 1);
        assertThatThrownBy(() -> DigitImage.read(png)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without ink");
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
