package vecgrad.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.nn.Conv2D;
import vecgrad.nn.Dense;
import vecgrad.nn.Dropout;
import vecgrad.nn.Flatten;
import vecgrad.nn.Layer;
import vecgrad.nn.MaxPooling2D;
import vecgrad.nn.Sequential;

/** {@code mnist --model cnn}: the options' rules, the convnet, and a short run end to end with predict. */
final class CnnRunTest {

    @Test
    void parse_cnn_defaultMethodsTapeAndFit_mlpUnchanged() throws CommandException {
        TrainOptions o = TrainOptions.parse(List.of("--model", "cnn"));
        assertThat(o.cnn()).isTrue();
        assertThat(o.methods()).containsExactly(Method.TAPE, Method.FIT);
        assertThat(o.hidden()).isEmpty();
        assertThat(TrainOptions.parse(List.of("--model=mlp"))).isEqualTo(TrainOptions.parse(List.of()));
        assertThat(TrainOptions.parse(List.of()).model()).isEqualTo("mlp");
        assertThat(TrainOptions.parse(List.of()).methods()).containsExactly(Method.TAPE, Method.FIT, Method.MANUAL);
    }

    @Test
    void parse_cnnWithMlpOptionsOrManual_usageErrors() {
        assertThatThrownBy(() -> TrainOptions.parse(List.of("--model", "rnn"))).isInstanceOf(CommandException.class)
                .hasMessage("--model expects mlp or cnn, got 'rnn'");
        assertThatThrownBy(() -> TrainOptions.parse(List.of("--model", "cnn", "--methods", "tape,manual")))
                .isInstanceOf(CommandException.class).hasMessageContaining("cannot train --model cnn; use tape,fit");
        assertThatThrownBy(() -> TrainOptions.parse(List.of("--hidden", "32", "--model", "cnn", "--batch-norm")))
                .isInstanceOf(CommandException.class)
                .hasMessageStartingWith("--hidden and --batch-norm shape the mlp's Dense layers");
        assertThatThrownBy(() -> TrainOptions.parse(List.of("--model", "cnn", "--dropout", "0.2")))
                .isInstanceOf(CommandException.class).hasMessageContaining("--dropout shape the mlp's Dense layers");
        // 61,623 samples of 34,848 patch values each pass the largest Java array.
        assertThatThrownBy(() -> TrainOptions.parse(List.of("--model", "cnn", "--batch-size", "65536")))
                .isInstanceOf(CommandException.class).hasMessageContaining("the convnet's 34848 values per sample");
    }

    @Test
    void usage_exitStatus2ForManualWithCnn() {
        AppFixtures.Result r = AppFixtures.run("--model", "cnn", "--methods", "manual");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("cannot train --model cnn");
    }

    @Test
    void convnet_kerasSimpleMnistConvnet() {
        Sequential m = Trainer.convnet(42);
        assertThat(m.inputShape()).containsExactly(28, 28, 1);
        assertThat(m.layers()).extracting(Layer::getClass).containsExactly(Conv2D.class, MaxPooling2D.class,
                Conv2D.class, MaxPooling2D.class, Flatten.class, Dropout.class, Dense.class);
        // Keras' model.summary() of the example: 320 + 18,496 + 16,010 = 34,826 parameters.
        assertThat(m.trainableVariables()).extracting(v -> v.data().length).containsExactly(288, 32, 18432, 64, 16000,
                10);
        assertThat(m.trainableVariables().get(0).shape()).containsExactly(3, 3, 1, 32);
        assertThat(m.trainableVariables().get(2).shape()).containsExactly(3, 3, 32, 64);
    }

    /**
     * One epoch on 2,000 images: tape and fit end bit-identical, the convnet learns far above chance, the
     * report and the saved whole model are written, and predict evaluates that file on images.
     */
    @Test
    void run_smallSubset_tapeAndFitBitIdentical_learns_savedModelPredicts(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        Path saved = dir.resolve("cnn.safetensors");
        AppFixtures.Result r = AppFixtures.run("--model", "cnn", "--epochs", "1", "--train-limit", "2000",
                "--test-limit", "500", "-q", "--out", out.toString(), "--save", saved.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("tape-fit 0 (bit-identical)").doesNotContain("manual");
        String json = Files.readString(out.resolve("results.json"), StandardCharsets.UTF_8);
        assertThat(json).contains("\"model\": \"cnn\"");
        List<Double> accuracies = numbers(json, "testAccuracy");
        // Chance is 0.10; one epoch of 15 steps on 1,800 images reaches about 0.8.
        assertThat(accuracies).hasSize(2).allSatisfy(a -> assertThat(a).isGreaterThan(0.6));
        assertThat(accuracies.get(0)).isEqualTo(accuracies.get(1));
        assertThat(out.resolve("report.html")).exists();

        Sequential model = Sequential.load(saved);
        assertThat(model.inputShape()).containsExactly(28, 28, 1);
        AppFixtures.Result p = AppFixtures.run("predict", "--weights", saved.toString(), "--data",
                AppFixtures.MNIST.toString(), "--test-limit", "500");
        assertThat(p.status()).as(p.err()).isZero();
        assertThat(p.out()).containsPattern("test: accuracy " + Pattern.quote(String.format(java.util.Locale.ROOT, "%.4f",
                accuracies.get(1))) + ", loss [0-9.]+ on 500 samples");
        Path digit = AppFixtures.drawOne(dir.resolve("one.png"));
        AppFixtures.Result one = AppFixtures.run("predict", "--weights", saved.toString(), digit.toString());
        assertThat(one.status()).as(one.err()).isZero();
        assertThat(one.out()).containsPattern("one\\.png: [0-9]  \\([0-9] [0-9.]+%");
    }

    private static List<Double> numbers(String json, String key) {
        return Pattern.compile("\"" + Pattern.quote(key) + "\": (-?[0-9][0-9.eE+-]*)").matcher(json).results()
                .map(x -> Double.parseDouble(x.group(1))).toList();
    }
}
