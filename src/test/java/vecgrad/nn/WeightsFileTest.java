package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.io.SafeTensors;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

final class WeightsFileTest {

    private static final Path SCRIPT = Path.of("test-data", "safetensors", "mlp_stdlib.py");

    /** The network mlp_stdlib.py describes: 6-5-4-3, ReLU, ReLU, softmax. */
    private static Sequential pythonNetwork() {
        return new Sequential(6, 0, new Dense(5, Activation.RELU), new Dense(4, Activation.RELU),
                new Dense(3, Activation.SOFTMAX));
    }

    private static double[][] numbers(String json, String key, int rows, int cols) {
        int at = json.indexOf('"' + key + '"');
        Matcher m = Pattern.compile("-?\\d+(\\.\\d+)?([eE]-?\\d+)?").matcher(json.substring(at + key.length() + 2));
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                assertThat(m.find()).isTrue();
                out[i][j] = Double.parseDouble(m.group());
            }
        }
        return out;
    }

    @Test
    void saveThenLoad_roundTripsExactly(@TempDir Path dir) throws IOException {
        Sequential a = SequentialTest.reportNetwork(1);
        Sequential b = SequentialTest.reportNetwork(2);
        Path file = dir.resolve("w.safetensors");
        a.saveWeights(file);
        b.loadWeights(file);
        for (int i = 0; i < a.trainableVariables().size(); i++) {
            assertThat(b.trainableVariables().get(i).contentEquals(a.trainableVariables().get(i))).isTrue();
        }
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void loadWeights_legacyNames_sameWeightsAsTheKerasNames() throws IOException {
        Sequential current = pythonNetwork();
        current.loadWeights(Path.of("test-data", "safetensors", "mlp-python.safetensors"));
        Sequential legacy = pythonNetwork();
        legacy.loadWeights(Path.of("test-data", "safetensors", "mlp-python-v0.1.safetensors"));
        for (int i = 0; i < current.variables().size(); i++) {
            assertThat(legacy.variables().get(i).data()).as(current.variables().get(i).name())
                    .isEqualTo(current.variables().get(i).data());
        }
        assertThat(current.variables().get(0).data()[0]).as("not the initial weights")
                .isEqualTo((float) (Math.sin(1.3) * 1.9));
    }

    @Test
    void loadWeights_pythonWrittenFileGivesPythonsPredictions() throws IOException {
        Sequential m = pythonNetwork();
        m.loadWeights(Path.of("test-data", "safetensors", "mlp-python.safetensors"));
        String json = Files.readString(Path.of("test-data", "safetensors", "mlp-python-predictions.json"));
        double[][] inputs = numbers(json, "inputs", 4, 6);
        double[][] expected = numbers(json, "probabilities", 4, 3);
        float[] x = new float[24];
        for (int i = 0; i < 24; i++) {
            x[i] = (float) inputs[i / 6][i % 6];
        }
        Tensor p = m.predict(Tensor.of(x, 4, 6));
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                // float32 forward vs the script's float64 forward on the same float32 weights
                assertThat((double) p.get(i, j)).isCloseTo(expected[i][j], org.assertj.core.api.Assertions.within(2e-6));
            }
        }
    }

    @Test
    void saveWeights_isReadByThePythonScript(@TempDir Path dir) throws Exception {
        assumeThat(python3()).as("python3 on PATH").isTrue();
        Sequential m = pythonNetwork();
        Path file = dir.resolve("java.safetensors");
        m.saveWeights(file);
        Process p = new ProcessBuilder("python3", SCRIPT.toString(), "predict", file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        double[][] expected = numbers(out, "probabilities", 4, 3);
        double[][] inputs = numbers(Files.readString(Path.of("test-data", "safetensors", "mlp-python-predictions.json")),
                "inputs", 4, 6);
        float[] x = new float[24];
        for (int i = 0; i < 24; i++) {
            x[i] = (float) inputs[i / 6][i % 6];
        }
        Tensor pred = m.predict(Tensor.of(x, 4, 6));
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat((double) pred.get(i, j)).isCloseTo(expected[i][j], org.assertj.core.api.Assertions.within(2e-6));
            }
        }
    }

    @Test
    void loadWeights_rejectsAFileThatDoesNotFitAndWritesNothing(@TempDir Path dir) throws IOException {
        Sequential m = pythonNetwork();
        List<Tensor> before = m.getWeights();
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (Variable v : m.trainableVariables()) {
            named.put(v.name(), v);
        }
        named.put("dense_1/kernel", Tensor.zeros(4, 5));     // transposed shape
        named.remove("dense_2/bias");
        named.put("extra", Tensor.zeros(1));
        Path file = dir.resolve("bad.safetensors");
        SafeTensors.write(file, named);
        assertThatThrownBy(() -> m.loadWeights(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dense_1/kernel has shape (4, 5), expected (5, 4)")
                .hasMessageContaining("missing dense_2/bias (3)")
                .hasMessageContaining("unexpected tensor extra");
        for (int i = 0; i < before.size(); i++) {
            assertThat(m.trainableVariables().get(i).contentEquals(before.get(i))).isTrue();
        }
        Path corrupt = dir.resolve("corrupt.safetensors");
        Files.write(corrupt, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0, '{', '}'});
        assertThatThrownBy(() -> m.loadWeights(corrupt)).isInstanceOf(IOException.class).hasMessageContaining("corrupt.safetensors");
        assertThatThrownBy(() -> m.loadWeights(dir.resolve("missing.safetensors"))).isInstanceOf(IOException.class);
    }

    private static boolean python3() {
        try {
            Process p = new ProcessBuilder("python3", "--version").start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
