package vecgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.testing.SpecialFiles;

final class MnistTest {

    private static final Path MNIST = Path.of("test-data", "mnist");

    /** Loaded once: the real files take a few hundred milliseconds. */
    private static Mnist mnist;

    @TempDir
    Path tmp;

    @BeforeAll
    static void loadRealFiles() throws IOException {
        mnist = Mnist.load(MNIST);
    }

    // ---------------------------------------------------------------- the real MNIST files

    @Test
    void load_realFilesHaveThePublishedShapes() {
        assertThat(mnist.train().images().shape()).containsExactly(60000, 784);
        assertThat(mnist.train().size()).isEqualTo(60000);
        assertThat(mnist.test().images().shape()).containsExactly(10000, 784);
        assertThat(mnist.test().size()).isEqualTo(10000);
        assertThat(mnist.files()).extracting(p -> p.getFileName().toString()).containsExactly(
                "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
    }

    /** The counts published in test-data/mnist/README.md. */
    @Test
    void load_realFilesHaveThePublishedLabelCounts() {
        assertThat(mnist.train().labelCounts(10))
                .containsExactly(5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949);
        assertThat(mnist.test().labelCounts(10))
                .containsExactly(980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009);
    }

    @Test
    void load_realFilesFirstTrainLabels() {
        assertThat(mnist.train().first(10).labels()).containsExactly(5, 0, 4, 1, 9, 2, 1, 3, 1, 4);
    }

    @Test
    void load_pixelsArePixelOver255() throws IOException {
        // Read the test images with java.util.zip alone: 16 header bytes, then one byte per pixel.
        byte[] raw;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(MNIST.resolve("t10k-images-idx3-ubyte.gz")))) {
            raw = in.readAllBytes();
        }
        float[] pixels = mnist.test().images().data();
        assertThat(raw.length).isEqualTo(16 + pixels.length);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int i = 0; i < pixels.length; i++) {
            if (pixels[i] != (raw[16 + i] & 0xFF) / 255f) {
                throw new AssertionError("pixel " + i + " is " + pixels[i] + ", expected " + (raw[16 + i] & 0xFF) + "/255");
            }
            min = Math.min(min, pixels[i]);
            max = Math.max(max, pixels[i]);
        }
        assertThat(min).isEqualTo(0f);
        assertThat(max).isEqualTo(1f);
        for (float p : mnist.train().images().data()) {
            if (!(p >= 0f && p <= 1f)) {
                throw new AssertionError("training pixel outside [0, 1]: " + p);
            }
        }
    }

    @Test
    void realFiles_matchSha256Sums() throws IOException, NoSuchAlgorithmException {
        List<String> lines = Files.readAllLines(MNIST.resolve("SHA256SUMS"));
        assertThat(lines).hasSize(4);
        for (String line : lines) {
            String[] parts = line.trim().split("\\s+\\*?");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String actual = HexFormat.of().formatHex(sha.digest(Files.readAllBytes(MNIST.resolve(parts[1]))));
            assertThat(actual).as(parts[1]).isEqualTo(parts[0]);
        }
    }

    // ---------------------------------------------------------------- small folders made with the writer

    @Test
    void load_rawFilesWinOverGzip() throws IOException {
        writeSet(tmp, "train", 3, false);
        writeSet(tmp, "t10k", 2, false);
        // A gzip twin with other contents must be ignored when the raw file exists.
        IdxFile.writeGzip(tmp.resolve("t10k-labels-idx1-ubyte.gz"), IdxArray.ofUnsignedBytes(new byte[] {9, 9}, 2));
        Mnist m = Mnist.load(tmp);
        assertThat(m.train().labels()).containsExactly(0, 1, 2);
        assertThat(m.test().labels()).containsExactly(0, 1);
        assertThat(m.test().images().shape()).containsExactly(2, 784);
        // writeSet stores pixel (i mod 256) at position i of the file's data
        assertThat(m.test().images().get(1, 0)).isEqualTo((784 % 256) / 255f);
        assertThat(m.test().images().get(0, 255)).isEqualTo(1f);
    }

    @Test
    void load_missingFolder() {
        Path absent = tmp.resolve("nowhere");
        assertThatThrownBy(() -> Mnist.load(absent))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessage("MNIST folder not found: " + absent);
    }

    @Test
    void load_missingFilesNameEveryPathTried() throws IOException {
        writeSet(tmp, "train", 3, true);
        assertThatThrownBy(() -> Mnist.load(tmp))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessage("MNIST files not found: tried " + tmp.resolve("t10k-images-idx3-ubyte")
                        + " or t10k-images-idx3-ubyte.gz; " + tmp.resolve("t10k-labels-idx1-ubyte")
                        + " or t10k-labels-idx1-ubyte.gz");
    }

    @Test
    void load_countsDisagree() throws IOException {
        writeSet(tmp, "train", 3, true);
        writeSet(tmp, "t10k", 2, true);
        IdxFile.writeGzip(tmp.resolve("t10k-labels-idx1-ubyte.gz"), IdxArray.ofUnsignedBytes(new byte[] {1, 2, 3}, 3));
        assertThatThrownBy(() -> Mnist.load(tmp))
                .isInstanceOf(IdxFormatException.class)
                .hasMessage("MNIST image and label counts differ: " + tmp.resolve("t10k-images-idx3-ubyte.gz")
                        + " has 2 images, " + tmp.resolve("t10k-labels-idx1-ubyte.gz") + " has 3 labels");
    }

    @Test
    void load_labelOutOfRange() throws IOException {
        writeSet(tmp, "train", 3, true);
        writeSet(tmp, "t10k", 2, true);
        IdxFile.writeGzip(tmp.resolve("train-labels-idx1-ubyte.gz"), IdxArray.ofUnsignedBytes(new byte[] {1, 10, 3}, 3));
        assertThatThrownBy(() -> Mnist.load(tmp))
                .isInstanceOf(IdxFormatException.class)
                .hasMessage(tmp.resolve("train-labels-idx1-ubyte.gz") + ": label 1 is 10, expected 0..9");
    }

    @Test
    void load_imagesOfTheWrongShape() throws IOException {
        writeSet(tmp, "train", 3, true);
        writeSet(tmp, "t10k", 2, true);
        Path images = tmp.resolve("train-images-idx3-ubyte.gz");
        IdxFile.writeGzip(images, IdxArray.ofUnsignedBytes(new byte[3 * 28 * 27], 3, 28, 27));
        assertThatThrownBy(() -> Mnist.load(tmp))
                .isInstanceOf(IdxFormatException.class)
                .hasMessage(images + ": expected MNIST images, 0x08 (unsigned byte) (N, 28, 28),"
                        + " found 0x08 (unsigned byte) (3, 28, 27)");
    }

    @Test
    void load_labelsOfTheWrongType() throws IOException {
        writeSet(tmp, "train", 3, true);
        writeSet(tmp, "t10k", 2, true);
        Path labels = tmp.resolve("t10k-labels-idx1-ubyte.gz");
        IdxFile.writeGzip(labels, IdxArray.ofInts(new int[] {1, 2}, 2));
        assertThatThrownBy(() -> Mnist.load(tmp))
                .isInstanceOf(IdxFormatException.class)
                .hasMessage(labels + ": expected MNIST labels, 0x08 (unsigned byte) (N), found 0x0c (int) (2)");
    }

    @Test
    void load_corruptFileGivesTheReadersMessage() throws IOException {
        writeSet(tmp, "train", 3, true);
        writeSet(tmp, "t10k", 2, true);
        Path images = tmp.resolve("t10k-images-idx3-ubyte.gz");
        byte[] bytes = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        assertThatThrownBy(() -> Mnist.load(tmp))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageStartingWith(images + ": gzip stream is truncated");
    }

    /** An MNIST-shaped set of n images (pixel i of the file's data = i mod 256) and labels 0, 1, 2, ... */
    static void writeSet(Path dir, String prefix, int n, boolean gzip) throws IOException {
        byte[] pixels = new byte[n * 28 * 28];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) i;
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) labels[i] = (byte) (i % 10);
        String suffix = gzip ? ".gz" : "";
        IdxArray images = IdxArray.ofUnsignedBytes(pixels, n, 28, 28);
        IdxArray labelArray = IdxArray.ofUnsignedBytes(labels, n);
        Path imageFile = dir.resolve(prefix + "-images-idx3-ubyte" + suffix);
        Path labelFile = dir.resolve(prefix + "-labels-idx1-ubyte" + suffix);
        if (gzip) {
            IdxFile.writeGzip(imageFile, images);
            IdxFile.writeGzip(labelFile, labelArray);
        } else {
            IdxFile.write(imageFile, images);
            IdxFile.write(labelFile, labelArray);
        }
    }

    @Test
    @Timeout(10)
    void load_fifoInPlaceOfAFile_namedNotMissing() throws Exception {
        Path folder = Files.createDirectory(tmp.resolve("fifos"));
        for (String name : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte")) {
            SpecialFiles.fifo(folder.resolve(name));
        }

        assertThatThrownBy(() -> Mnist.load(folder)).isInstanceOf(FileSystemException.class)
                .hasMessage(folder.resolve("train-images-idx3-ubyte") + ": expected an IDX file, found a FIFO (named pipe)");
    }
}
