package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.tensor.Variable;

/**
 * Compiles and runs the Java blocks of README.md, so the README cannot drift from the library. The
 * blocks run as written, except that the data block takes the first 1,024 training and 512 test
 * images, the weights file goes to a temporary folder, and the convnet trains one epoch on the first
 * 4,000 training images and is scored on the first 1,000 test images.
 */
final class ReadmeExamplesTest {

    private static final Pattern BLOCK = Pattern.compile("<!-- example: (\\w+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);

    private static Map<String, String> blocks() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher m = BLOCK.matcher(readme);
        while (m.find()) {
            blocks.put(m.group(1), m.group(2));
        }
        return blocks;
    }

    @Test
    void readmeExamples_compileAndTrain(@TempDir Path dir) throws Exception {
        Map<String, String> b = blocks();
        assertThat(b).containsOnlyKeys("data", "tape", "fit", "binary", "regression", "custom", "regularised", "csv", "stream",
                "warmup", "penalties", "model", "cnn");
        String data = b.get("data")
                .replace("mnist.train()", "mnist.train().first(1024)")
                .replace("mnist.test()", "mnist.test().first(512)");
        String fit = b.get("fit").replace("Path.of(\"mnist-mlp.safetensors\")",
                "Path.of(" + quote(dir.resolve("mnist-mlp.safetensors").toString()) + ")");
        String model = b.get("model").replace("Path.of(\"mnist-mlp-model.safetensors\")",
                "Path.of(" + quote(dir.resolve("mnist-mlp-model.safetensors").toString()) + ")");
        String csvBlock = b.get("csv").replace("Path.of(\"iris-{epoch:03d}-{val_loss:.3f}.safetensors\")",
                "Path.of(" + quote(dir.resolve("iris-{epoch:03d}-{val_loss:.3f}.safetensors").toString()) + ")");
        // The convnet on 4,000 training and 1,000 test images for one epoch, so that it runs in seconds.
        String cnn = b.get("cnn").replace("mnist.train()", "mnist.train().first(4000)")
                .replace("mnist.test()", "mnist.test().first(1000)").replace("epochs(5)", "epochs(1)");
        String source = "import vecgrad.tensor.*;\nimport vecgrad.autodiff.*;\nimport vecgrad.nn.*;\n"
                + "import vecgrad.optim.*;\nimport vecgrad.data.*;\nimport java.nio.file.Path;\nimport java.util.*;\n"
                + "public final class ReadmeExample {\n"
                + "  public static Sequential tape() throws Exception {\n" + data + b.get("tape") + "    return model;\n  }\n"
                + "  public static History fit() throws Exception {\n" + data + fit + "    return history;\n  }\n"
                + "  public static Object[] binary() throws Exception {\n" + b.get("binary")
                + "    return new Object[] {circle, classifier.predict(xs), ys};\n  }\n"
                + "  public static Dense regression() throws Exception {\n" + b.get("regression") + "    return fitted;\n  }\n"
                + "  public static GradientCheck.Result custom() throws Exception {\n" + b.get("custom")
                + "    return gradients;\n  }\n"
                + "  public static Object[] regularised() throws Exception {\n" + data + b.get("regularised")
                + "    return new Object[] {curves, scored};\n  }\n"
                + "  public static Object[] csv() throws Exception {\n" + csvBlock
                + "    return new Object[] {held, species, run};\n  }\n"
                + "  public static Dense stream() throws Exception {\n" + b.get("stream") + "    return plane;\n  }\n"
                + "  public static Object[] warmup() throws Exception {\n" + data + b.get("warmup")
                + "    return new Object[] {warmed, warming, rateNow};\n  }\n"
                + "  public static Sequential[] penalties() throws Exception {\n" + b.get("penalties")
                + "    return new Sequential[] {penalised, looped};\n  }\n"
                + "  public static Tensor[] model() throws Exception {\n" + data + fit + model
                + "    return new Tensor[] {model.predict(test.images()), probabilities};\n  }\n"
                + "  public static Object[] cnn() throws Exception {\n" + data + cnn
                + "    return new Object[] {convnet, convnetScore};\n  }\n"
                + "}\n";
        Path src = dir.resolve("ReadmeExample.java");
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean ok = javac.getTask(diagnostics, null, null,
                List.of("-classpath", System.getProperty("java.class.path"), "-d", dir.toString(),
                        "--add-modules", "jdk.incubator.vector"),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(src)).call();
        assertThat(ok).as("README examples compile:%n%s%n%s", diagnostics, source).isTrue();

        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> example = loader.loadClass("ReadmeExample");
            Sequential trained = (Sequential) example.getMethod("tape").invoke(null);
            List<Variable> fresh = new Sequential(784, 42, new Dense(256, Activation.RELU), new Dense(128, Activation.RELU),
                    new Dense(64, Activation.RELU), new Dense(10, Activation.SOFTMAX)).trainableVariables();
            assertThat(trained.trainableVariables().get(0).data()).isNotEqualTo(fresh.get(0).data());

            Method fitMethod = example.getMethod("fit");
            History history = (History) fitMethod.invoke(null);
            assertThat(history.epochs()).hasSize(5);
            assertThat(history.last().loss()).isLessThan(history.epochs().get(0).loss());
            assertThat(dir.resolve("mnist-mlp.safetensors")).exists();

            Object[] binary = (Object[]) example.getMethod("binary").invoke(null);
            float[] p = ((vecgrad.tensor.Tensor) binary[1]).data();
            float[] labels = ((vecgrad.tensor.Tensor) binary[2]).data();
            int right = 0;
            for (int i = 0; i < p.length; i++) {
                right += (p[i] > 0.5f ? 1f : 0f) == labels[i] ? 1 : 0;
            }
            double accuracy = ((Evaluation) binary[0]).accuracy();
            assertThat(accuracy).as("binary accuracy at 0.5, counted here").isEqualTo((double) right / p.length);
            assertThat(accuracy).as("binary classifier").isGreaterThan(0.9);

            Dense line = (Dense) example.getMethod("regression").invoke(null);
            assertThat((double) line.kernel().data()[0]).as("slope").isCloseTo(3, org.assertj.core.api.Assertions.within(0.25));
            assertThat((double) line.bias().data()[0]).as("intercept").isCloseTo(-1, org.assertj.core.api.Assertions.within(0.3));

            vecgrad.autodiff.GradientCheck.Result check = (vecgrad.autodiff.GradientCheck.Result)
                    example.getMethod("custom").invoke(null);
            assertThat(check.passed()).isTrue();

            Object[] regularised = (Object[]) example.getMethod("regularised").invoke(null);
            History curves = (History) regularised[0];
            assertThat(curves.epochs()).hasSize(2);
            assertThat(curves.last().accuracy()).as("training accuracy with dropout").isGreaterThan(0.6);
            assertThat(((Evaluation) regularised[1]).loss()).isFinite();

            Object[] csv = (Object[]) example.getMethod("csv").invoke(null);
            assertThat(((Evaluation) csv[0]).accuracy()).as("Iris test accuracy").isGreaterThanOrEqualTo(0.8);
            assertThat(csv[1]).isEqualTo(List.of("setosa", "versicolor", "virginica"));
            History irisRun = (History) csv[2];
            assertThat(irisRun.epochs().size()).as("EarlyStopping ended the run").isLessThan(300);
            List<String> checkpoints;
            try (var files = Files.list(dir)) {
                checkpoints = files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("iris-")).sorted().toList();
            }
            // One file per improvement of val_loss, named with Keras' formatting of that epoch's numbers.
            EpochLogs first = irisRun.epochs().get(0);
            assertThat(checkpoints).contains(String.format(java.util.Locale.ROOT, "iris-001-%.3f.safetensors", first.valLoss()));
            assertThat(checkpoints.size()).isBetween(2, irisRun.epochs().size());
            Sequential reloaded = Sequential.load(dir.resolve(checkpoints.get(checkpoints.size() - 1)));
            assertThat(reloaded.layers()).hasSize(3);

            Dense plane = (Dense) example.getMethod("stream").invoke(null);
            float[] k = plane.kernel().data();
            assertThat((double) k[0]).as("streamed fit: weight of x0").isCloseTo(2, org.assertj.core.api.Assertions.within(0.05));
            assertThat((double) k[1]).as("streamed fit: weight of x1").isCloseTo(-1, org.assertj.core.api.Assertions.within(0.05));
            assertThat((double) plane.bias().data()[0]).as("streamed fit: bias").isCloseTo(0.5, org.assertj.core.api.Assertions.within(0.05));

            Object[] warm = (Object[]) example.getMethod("warmup").invoke(null);
            vecgrad.optim.Adam warmed = (vecgrad.optim.Adam) warm[0];
            assertThat(warmed.iterations()).as("2 epochs of 1024 samples in batches of 128").isEqualTo(16);
            // Still inside the warm-up: the rate rose linearly from 0 towards 1e-3 (Keras' CosineDecay).
            assertThat((float) warm[2]).isEqualTo((float) (1e-3 * 16 / 100));
            assertThat(((History) warm[1]).last().loss()).isLessThan(((History) warm[1]).epochs().get(0).loss());

            Sequential[] penalties = (Sequential[]) example.getMethod("penalties").invoke(null);
            assertThat(penalties[1].losses()).hasSize(1);
            for (int i = 0; i < penalties[0].trainableVariables().size(); i++) {
                assertThat(penalties[1].trainableVariables().get(i).data()).as("custom loop with losses() = fit")
                        .isEqualTo(penalties[0].trainableVariables().get(i).data());
            }

            vecgrad.tensor.Tensor[] predictions = (vecgrad.tensor.Tensor[]) example.getMethod("model").invoke(null);
            assertThat(predictions[1].data()).as("a loaded model predicts bit-identically").isEqualTo(predictions[0].data());

            Object[] convnet = (Object[]) example.getMethod("cnn").invoke(null);
            assertThat(((Sequential) convnet[0]).trainableVariables().get(2).shape()).containsExactly(3, 3, 32, 64);
            Evaluation convnetScore = (Evaluation) convnet[1];
            assertThat(convnetScore.samples()).isEqualTo(1000);
            // Chance is 0.10; one epoch of 29 steps on 3,600 images reaches 0.744 (seed 42, any thread count).
            assertThat(convnetScore.accuracy()).as("convnet test accuracy after one short epoch").isGreaterThan(0.6);
        }
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
