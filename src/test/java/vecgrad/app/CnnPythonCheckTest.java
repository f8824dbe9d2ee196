package vecgrad.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.data.Dataset;
import vecgrad.data.Mnist;
import vecgrad.nn.Sequential;
import vecgrad.tensor.Tensor;

/**
 * The convnet that {@code mnist --model cnn --save} writes is read by test-data/cnn/cnn_predict.py, which
 * knows only the safetensors format and Keras' layout (kernels (kh, kw, in, out), channels last) and
 * runs the network in float64 with NumPy: its probabilities for the first test digits match Java's
 * {@code predict} of the saved model. Skipped when python3 with NumPy is not on the PATH.
 */
final class CnnPythonCheckTest {

    private static final Path SCRIPT = Path.of("test-data", "cnn", "cnn_predict.py");
    private static final int IMAGES = 32;

    @Test
    void savedConvnet_pythonNumpyForwardGivesJavasProbabilities(@TempDir Path dir) throws Exception {
        assumeThat(pythonWithNumpy()).as("python3 with numpy on PATH").isTrue();
        Path saved = dir.resolve("cnn.safetensors");
        AppFixtures.Result r = AppFixtures.run("--model", "cnn", "--methods", "fit", "--epochs", "1", "--train-limit",
                "1500", "--test-limit", "100", "-q", "--out", dir.resolve("out").toString(), "--save", saved.toString());
        assertThat(r.status()).as(r.err()).isZero();

        Process p = new ProcessBuilder("python3", SCRIPT.toString(), saved.toString(),
                AppFixtures.MNIST.resolve("t10k-images-idx3-ubyte.gz").toString(), Integer.toString(IMAGES)).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(IMAGES);

        Dataset test = Mnist.load(AppFixtures.MNIST).test().first(IMAGES);
        Sequential model = Sequential.load(saved);
        float[] java = model.predict(test.images(model.inputShape())).data();
        int[] labels = test.labels();
        int pythonRight = 0;
        double worst = 0;
        for (int i = 0; i < IMAGES; i++) {
            String[] f = lines.get(i).trim().split(" ");
            assertThat(f).hasSize(11);
            assertThat(Integer.parseInt(f[0])).isEqualTo(i);
            int best = 0;
            for (int c = 0; c < 10; c++) {
                double python = Double.parseDouble(f[c + 1]);
                // float32 against float64 through 3 matrix layers of up to 288-term sums and a softmax:
                // the probabilities agree to about 1e-7 here; 1e-5 still catches any layout error
                // (a transposed kernel or Flatten in (c, h, w) order moves them by more than 0.01).
                assertThat((double) java[i * 10 + c]).as("image %d, class %d", i, c).isCloseTo(python, within(1e-5));
                worst = Math.max(worst, Math.abs(java[i * 10 + c] - python));
                best = python > Double.parseDouble(f[best + 1]) ? c : best;
            }
            pythonRight += best == labels[i] ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "cnn_predict.py vs Java: max |dp| %.3g on %d images%n", worst, IMAGES);

        // The program's own predict on the same file and images counts the same right answers.
        AppFixtures.Result predicted = AppFixtures.run("predict", "--weights", saved.toString(), "--data",
                AppFixtures.MNIST.toString(), "--test-limit", Integer.toString(IMAGES));
        assertThat(predicted.status()).as(predicted.err()).isZero();
        assertThat(predicted.out()).contains(String.format(Locale.ROOT, "test: accuracy %.4f", (double) pythonRight / IMAGES));
        assertThat(pythonRight).as("a trained convnet, far above chance").isGreaterThan(IMAGES / 2);
    }

    private static boolean pythonWithNumpy() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
