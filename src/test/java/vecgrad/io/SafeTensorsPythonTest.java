package vecgrad.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.tensor.Tensor;

/**
 * Interoperability with an independent implementation: test-data/safetensors/safetensors_stdlib.py
 * (Python standard library only). The expected values are that script's documented formula,
 * re-derived here.
 */
final class SafeTensorsPythonTest {

    private static final Path FOLDER = Path.of("test-data", "safetensors");
    private static final Path SCRIPT = FOLDER.resolve("safetensors_stdlib.py");
    private static final Path PYTHON_WRITTEN = FOLDER.resolve("python-written.safetensors");

    /** The script's TENSORS, in its order: name and shape. */
    private static final Object[][] NETWORK = {
        {"dense_1/kernel", new int[] {4, 3}},
        {"dense_1/bias", new int[] {3}},
        {"dense_2/kernel", new int[] {3, 2}},
        {"dense_2/bias", new int[] {2}},
        {"temperature", new int[] {}},
        {"unused", new int[] {0, 4}},
    };

    private static final Map<String, String> METADATA = Map.of(
            "format", "pt",
            "description", "tiny MLP 4\u21923\u21922 " + new String(Character.toChars(0x1F9EA)));

    @TempDir
    Path dir;

    /** The script's formula: element i of the j-th tensor (j from 1) is ((7i + j) mod 13 - 6) / 13, as float32. */
    private static Tensor formulaTensor(int j, int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = (float) (((7 * i + j) % 13 - 6) / 13.0);
        }
        return Tensor.of(data, shape);
    }

    private static Map<String, Tensor> network() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int j = 1; j <= NETWORK.length; j++) {
            tensors.put((String) NETWORK[j - 1][0], formulaTensor(j, (int[]) NETWORK[j - 1][1]));
        }
        return tensors;
    }

    @Test
    void pythonWrittenFile_loadsWithTheScriptsValues() throws IOException {
        SafeTensorsContents read = SafeTensors.read(PYTHON_WRITTEN);

        // Data order, which is the script's order (not sorted).
        assertThat(read.tensors().keySet()).containsExactly(
                "dense_1/kernel", "dense_1/bias", "dense_2/kernel", "dense_2/bias", "temperature", "unused");
        for (Map.Entry<String, Tensor> e : network().entrySet()) {
            Tensor got = read.tensor(e.getKey());
            assertThat(got.shape()).as(e.getKey()).containsExactly(e.getValue().shape());
            assertThat(got.data()).as(e.getKey()).containsExactly(e.getValue().data());
            assertThat(read.dtype(e.getKey())).isEqualTo(StoredDtype.F32);
        }
        assertThat(read.tensor("dense_1/kernel").get(0, 0)).isEqualTo((float) (-5 / 13.0)); // (0 + 1) % 13 - 6 = -5
        assertThat(read.tensor("temperature").item()).isEqualTo((float) (-1 / 13.0));
        assertThat(read.metadata()).isEqualTo(METADATA);
    }

    @Test
    void pythonWrite_reproducesTheCommittedFile() throws Exception {
        assumeTrue(pythonAvailable(), "python3 is not on the PATH");
        Path file = dir.resolve("again.safetensors");

        python("write", file.toString());

        assertThat(Files.readAllBytes(file)).isEqualTo(Files.readAllBytes(PYTHON_WRITTEN));
    }

    @Test
    void pythonRead_ofALibraryFile_matches() throws Exception {
        assumeTrue(pythonAvailable(), "python3 is not on the PATH");
        Map<String, Tensor> tensors = network();
        tensors.put("special", Tensor.of(new float[] {-0f, Float.MIN_VALUE, Float.MAX_VALUE, 1e-40f}, 2, 2));
        Path file = dir.resolve("java.safetensors");
        SafeTensors.write(file, tensors, METADATA);

        String out = python("read", file.toString());
        Map<?, ?> report = (Map<?, ?>) Json.parse(out.strip(), 8);

        long headerLength = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(report.get("header_length")).isEqualTo(headerLength);
        assertThat(headerLength % 8).isZero();
        assertThat(report.get("metadata")).isEqualTo(METADATA);

        List<String> sortedNames = List.of("dense_1/bias", "dense_1/kernel", "dense_2/bias", "dense_2/kernel",
                "special", "temperature", "unused");
        List<?> reported = (List<?>) report.get("tensors");
        assertThat(reported).hasSize(sortedNames.size());
        long offset = 0;
        for (int k = 0; k < sortedNames.size(); k++) {
            Map<?, ?> entry = (Map<?, ?>) reported.get(k);
            Tensor t = tensors.get(sortedNames.get(k));
            long end = offset + 4L * t.size();
            List<Long> shape = new ArrayList<>();
            for (int d : t.shape()) shape.add((long) d);
            double sum = 0;
            for (float v : t.data()) sum += v;

            assertThat(entry.get("name")).isEqualTo(sortedNames.get(k));
            assertThat(entry.get("dtype")).isEqualTo("F32");
            assertThat(entry.get("shape")).isEqualTo(shape);
            assertThat(entry.get("data_offsets")).isEqualTo(List.of(offset, end));
            assertThat(entry.get("sha256")).isEqualTo(sha256(RawFiles.floatsLE(t.data())));
            assertThat(Double.parseDouble(entry.get("sum").toString())).as(sortedNames.get(k)).isEqualTo(sum);
            offset = end;
        }
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static boolean pythonAvailable() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs the script; returns its standard output; fails with its standard error if it fails. */
    private String python(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", SCRIPT.toString()));
        command.addAll(List.of(args));
        Path stderr = dir.resolve("python-stderr.txt");
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("python3 " + String.join(" ", args) + " did not finish in 60 s");
        }
        assertThat(p.exitValue()).as("python3 %s: %s", String.join(" ", args), Files.readString(stderr)).isZero();
        return out;
    }
}
