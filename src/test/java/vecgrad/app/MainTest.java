package vecgrad.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.data.IdxArray;
import vecgrad.data.IdxFile;

final class MainTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        return Main.run(args, env, out, err);
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void run_helpPrintsUsage() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out()).startsWith("Usage: mnist [--data DIR]\n").contains("-h, --help").contains("MNIST_DIR");
        assertThat(err()).isEmpty();
        outBytes.reset();
        assertThat(run(Map.of(), "-h")).isZero();
        assertThat(out()).startsWith("Usage: mnist");
    }

    @Test
    void run_unknownOption() {
        assertThat(run(Map.of(), "--bogus")).isEqualTo(2);
        assertThat(err()).isEqualTo("mnist: unknown option '--bogus' (see mnist --help)\n");
        assertThat(out()).isEmpty();
    }

    @Test
    void run_unexpectedArgument() {
        assertThat(run(Map.of(), "train")).isEqualTo(2);
        assertThat(err()).isEqualTo("mnist: unexpected argument 'train' (see mnist --help)\n");
    }

    @Test
    void run_dataWithoutFolder() {
        assertThat(run(Map.of(), "--data")).isEqualTo(2);
        assertThat(err()).isEqualTo("mnist: --data needs a folder (see mnist --help)\n");
        errBytes.reset();
        assertThat(run(Map.of(), "--data=")).isEqualTo(2);
        assertThat(err()).isEqualTo("mnist: --data needs a folder, got an empty name (see mnist --help)\n");
    }

    @Test
    void run_missingDataFolderNamesThePathAndTheFix() {
        Path absent = tmp.resolve("absent");
        assertThat(run(Map.of(), "--data", absent.toString())).isEqualTo(1);
        assertThat(err()).isEqualTo("mnist: MNIST data folder not found: tried " + absent + " (from --data);"
                + " pass --data DIR or set MNIST_DIR to the folder with the MNIST files (see mnist --help)\n");
        assertThat(out()).isEmpty();
    }

    @Test
    void run_missingFilesNameThePathsTried() throws IOException {
        writeSet("train", 2);
        assertThat(run(Map.of(), "--data=" + tmp)).isEqualTo(1);
        assertThat(err()).startsWith("mnist: MNIST files not found: tried " + tmp.resolve("t10k-images-idx3-ubyte")
                + " or t10k-images-idx3-ubyte.gz;").contains("pass --data DIR").hasLineCount(1);
    }

    @Test
    void run_corruptFileGivesTheReadersMessageWithoutStackTrace() throws IOException {
        writeSet("train", 2);
        writeSet("t10k", 1);
        Path labels = tmp.resolve("t10k-labels-idx1-ubyte");
        Files.write(labels, new byte[] {0, 0, 0x08, 1, 0, 0, 0, 1}); // a raw header, no label byte
        assertThat(run(Map.of(), "--data", tmp.toString())).isEqualTo(1);
        assertThat(err()).isEqualTo("mnist: " + labels + ": the file ends early: the header declares"
                + " 0x08 (unsigned byte) (1), 9 bytes in all (8 header + 1 data), but the file has 8 bytes\n");
    }

    @Test
    void run_countsDisagree() throws IOException {
        writeSet("train", 2);
        writeSet("t10k", 1);
        IdxFile.write(tmp.resolve("train-labels-idx1-ubyte"), IdxArray.ofUnsignedBytes(new byte[] {1, 2, 3}, 3));
        assertThat(run(Map.of(), "--data", tmp.toString())).isEqualTo(1);
        assertThat(err()).contains("has 2 images").contains("has 3 labels").hasLineCount(1);
    }

    @Test
    void run_dataFromEnvironment() throws IOException {
        writeSet("train", 3);
        writeSet("t10k", 2);
        assertThat(run(Map.of("MNIST_DIR", tmp.toString()))).isZero();
        assertThat(out()).contains("data:    " + tmp + " (from MNIST_DIR)\n")
                .contains("train: images (3, 784), labels (3)\n")
                .contains("test:  images (2, 784), labels (2)\n")
                .contains("train      1     1     1     0     0     0     0     0     0     0\n")
                .contains("test       1     1     0     0     0     0     0     0     0     0\n");
    }

    @Test
    void run_dataOptionBeatsEnvironment() throws IOException {
        writeSet("train", 3);
        writeSet("t10k", 2);
        assertThat(run(Map.of("MNIST_DIR", tmp.resolve("elsewhere").toString()), "--data", tmp.toString())).isZero();
        assertThat(out()).contains("(from --data)");
    }

    @Test
    void run_defaultLoadsTheRealMnist() {
        assertThat(run(Map.of())).isZero();
        assertThat(err()).isEmpty();
        assertThat(out())
                .contains("kernels: ")
                .contains("data:    " + Path.of("test-data/mnist").toAbsolutePath() + " (the default)\n")
                .contains("train: images (60000, 784), labels (60000)\n")
                .contains("test:  images (10000, 784), labels (10000)\n")
                .contains("train   5923  6742  5958  6131  5842  5421  5918  6265  5851  5949\n")
                .contains("test     980  1135  1032  1010   982   892   958  1028   974  1009\n")
                .containsPattern("loaded in \\d+ ms\n");
    }

    /** n MNIST-shaped images and labels 0, 1, 2, ... in the raw (uncompressed) format. */
    private void writeSet(String prefix, int n) throws IOException {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) labels[i] = (byte) i;
        IdxFile.write(tmp.resolve(prefix + "-images-idx3-ubyte"), IdxArray.ofUnsignedBytes(new byte[n * 784], n, 28, 28));
        IdxFile.write(tmp.resolve(prefix + "-labels-idx1-ubyte"), IdxArray.ofUnsignedBytes(labels, n));
    }
}
