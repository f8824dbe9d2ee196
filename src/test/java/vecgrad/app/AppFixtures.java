package vecgrad.app;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import vecgrad.data.IdxArray;
import vecgrad.data.IdxFile;

/** Runs the command line in-process and makes its inputs: MNIST-shaped IDX files and digit images. */
final class AppFixtures {

    /** The real MNIST files of the repository. */
    static final Path MNIST = Path.of("test-data/mnist");

    private AppFixtures() {
    }

    /** One in-process run: its exit status and what it printed. */
    record Result(int status, String out, String err) {
    }

    static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result run(String... args) {
        return run(Map.of(), args);
    }

    /**
     * {@code n} raw MNIST-shaped images and labels {@code i % 10} as {@code PREFIX-images-idx3-ubyte} and
     * {@code PREFIX-labels-idx1-ubyte}; image i has a bright pixel at position {@code 100 + label}.
     */
    static void writeSet(Path dir, String prefix, int n) throws IOException {
        byte[] labels = new byte[n];
        byte[] pixels = new byte[n * 784];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
            pixels[i * 784 + 100 + i % 10] = (byte) 255;
        }
        IdxFile.write(dir.resolve(prefix + "-images-idx3-ubyte"), IdxArray.ofUnsignedBytes(pixels, n, 28, 28));
        IdxFile.write(dir.resolve(prefix + "-labels-idx1-ubyte"), IdxArray.ofUnsignedBytes(labels, n));
    }

    /** A PNG of a "1": a thick dark vertical stroke on white, 60 x 80 pixels. */
    static Path drawOne(Path file) throws IOException {
        BufferedImage img = new BufferedImage(60, 80, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 60, 80);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(7, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawLine(32, 12, 28, 68);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
        return file;
    }
}
