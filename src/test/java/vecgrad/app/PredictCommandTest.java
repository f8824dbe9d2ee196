package vecgrad.app;

import static org.assertj.core.api.Assertions.assertThat;
import static vecgrad.app.AppFixtures.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;
import vecgrad.app.AppFixtures.Result;
import vecgrad.io.SafeTensors;
import vecgrad.tensor.Tensor;
import vecgrad.testing.SpecialFiles;

final class PredictCommandTest {

    @TempDir
    Path tmp;

    /** Every bad-usage case of {@code predict} (arguments after the word), with the reason it must give. */
    static Stream<Arguments> badUsage() {
        return Stream.of(
                Arguments.of(List.of(), "predict needs --weights FILE (saved by mnist --save FILE)"),
                Arguments.of(List.of("x.png"), "predict needs --weights FILE (saved by mnist --save FILE)"),
                Arguments.of(List.of("--weights"), "--weights needs a .safetensors file"),
                Arguments.of(List.of("--weights", "w"),
                        "predict needs IMAGE files to classify, or --data DIR to evaluate on the MNIST test set"),
                Arguments.of(List.of("--weights", "w", "--data", "d", "x.png"), "predict takes IMAGE files or --data DIR, not both"),
                Arguments.of(List.of("--weights", "w", "--test-limit", "5", "x.png"),
                        "--test-limit applies to --data DIR, not to images"),
                Arguments.of(List.of("--weights", "w", "--data", "d", "--test-limit", "0"),
                        "--test-limit expects a whole number from 1 to 2147483647, got '0'"),
                Arguments.of(List.of("--weights", "w", "--data", "d", "--test-limit", "2147483648"),
                        "--test-limit expects a whole number from 1 to 2147483647, got '2147483648'"),
                Arguments.of(List.of("--weights", "w", "--debug=1", "x.png"), "--debug takes no value, got '1'"),
                Arguments.of(List.of("--weights", "w", "--hidden", "256", "x.png"),
                        "predict reads the layer sizes from the weights file; leave out --hidden"),
                Arguments.of(List.of("--weights", "w", "--epochs", "2", "x.png"), "unknown option '--epochs'"));
    }

    /** A 784-10 softmax network that ignores its input: logits 5 for digit 3, 0 elsewhere. */
    private Path constantThree() throws IOException {
        float[] bias = new float[10];
        bias[3] = 5;
        Path file = tmp.resolve("three.safetensors");
        SafeTensors.write(file, Map.of("W1", Tensor.zeros(784, 10), "b1", Tensor.wrap(bias, 10)));
        return file;
    }

    @Test
    void predict_images_digitAndTopThreeProbabilities() throws IOException {
        Path weights = constantThree();
        Path one = AppFixtures.drawOne(tmp.resolve("one.png"));
        Path two = AppFixtures.drawOne(tmp.resolve("two.png"));
        Result r = run("predict", "--weights", weights.toString(), one.toString(), two.toString());
        assertThat(r.status()).as(r.err()).isZero();
        double sum = Math.exp(5) + 9;
        String expected = String.format(Locale.ROOT, "3  (3 %.2f%%, 0 %.2f%%, 1 %.2f%%)", 100 * Math.exp(5) / sum,
                100 / sum, 100 / sum);
        assertThat(expected).isEqualTo("3  (3 94.28%, 0 0.64%, 1 0.64%)");
        assertThat(r.out()).isEqualTo(one + ": " + expected + "\n" + two + ": " + expected + "\n");
    }

    @Test
    void predict_wholeModelFile_sameAnswersAsItsWeightsOnlyFile() throws IOException {
        // A tanh hidden layer: the weights-only reader would assume ReLU without metadata, the whole-model
        // reader takes the file's architecture; with the architecture metadata both agree.
        vecgrad.nn.Sequential m = new vecgrad.nn.Sequential(784, 5, new vecgrad.nn.Dense(16, vecgrad.nn.Activation.TANH),
                new vecgrad.nn.Dense(10, vecgrad.nn.Activation.SOFTMAX));
        Path whole = tmp.resolve("whole.safetensors");
        Path weightsOnly = tmp.resolve("weights.safetensors");
        m.save(whole);
        m.saveWeights(weightsOnly);
        Path one = AppFixtures.drawOne(tmp.resolve("one.png"));
        Result a = run("predict", "--weights", whole.toString(), one.toString());
        Result b = run("predict", "--weights", weightsOnly.toString(), one.toString());
        assertThat(a.status()).as(a.err()).isZero();
        assertThat(b.status()).as(b.err()).isZero();
        assertThat(a.out()).isEqualTo(b.out()).startsWith(one + ": ");
    }

    @Test
    void predict_wholeModelOfTheWrongShape_refused() throws IOException {
        vecgrad.nn.Sequential m = new vecgrad.nn.Sequential(784, 5, new vecgrad.nn.Dense(3, vecgrad.nn.Activation.SOFTMAX));
        Path whole = tmp.resolve("three-classes.safetensors");
        m.save(whole);
        Path one = AppFixtures.drawOne(tmp.resolve("one.png"));
        Result r = run("predict", "--weights", whole.toString(), one.toString());
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("784-3(softmax) model; predict needs 784 inputs (28 x 28 pixels) and 10 outputs");
    }

    @Test
    void predict_hiddenLayerFromMetadata_usesTheFilesActivations() throws IOException {
        // 784-1-10: the hidden unit is x·W1 - 1 = -1 for any image (W1 = 0, b1 = -1). ReLU gives 0, so
        // every logit is 0 (uniform 10%); the file says linear, so the unit stays -1 and W2 = e_7 · -2
        // makes digit 7's logit +2.
        float[] w2 = new float[10];
        w2[7] = -2;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("W1", Tensor.zeros(784, 1));
        tensors.put("b1", Tensor.filled(-1, 1));
        tensors.put("W2", Tensor.wrap(w2, 1, 10));
        tensors.put("b2", Tensor.zeros(10));
        Path relu = tmp.resolve("relu.safetensors");
        Path linear = tmp.resolve("linear.safetensors");
        SafeTensors.write(relu, tensors);
        SafeTensors.write(linear, tensors, Map.of("architecture", "784-1(linear)-10(softmax)"));
        Path image = AppFixtures.drawOne(tmp.resolve("one.png"));

        assertThat(run("predict", "--weights", relu.toString(), image.toString()).out())
                .isEqualTo(image + ": 0  (0 10.00%, 1 10.00%, 2 10.00%)\n");
        double sum = Math.exp(2) + 9;
        assertThat(run("predict", "--weights", linear.toString(), image.toString()).out())
                .isEqualTo(image + ": 7  (7 " + String.format(Locale.ROOT, "%.2f%%, 0 %.2f%%, 1 %.2f%%)", 100 * Math.exp(2) / sum,
                        100 / sum, 100 / sum) + "\n");
    }

    @Test
    void predict_badWeightsFiles_exitOneWithTheReason() throws IOException {
        Path image = AppFixtures.drawOne(tmp.resolve("one.png"));
        Path absent = tmp.resolve("absent.safetensors");
        assertFailure(run("predict", "--weights", absent.toString(), image.toString()),
                "mnist: cannot read --weights " + absent + ": expected a safetensors file, found nothing there");

        Path garbage = Files.write(tmp.resolve("garbage.safetensors"), new byte[] {1, 2, 3});
        Result g = run("predict", "--weights", garbage.toString(), image.toString());
        assertThat(g.status()).isEqualTo(1);
        assertThat(g.err()).startsWith("mnist: cannot read --weights " + garbage + ": ").hasLineCount(1);

        Path broken = tmp.resolve("broken.safetensors");
        SafeTensors.write(broken, Map.of("W1", Tensor.zeros(784, 5), "b1", Tensor.zeros(5), "W2", Tensor.zeros(4, 10),
                "b2", Tensor.zeros(10)));
        assertFailure(run("predict", "--weights", broken.toString(), image.toString()), "mnist: --weights " + broken
                + ": the layers do not form a chain: W1 has 5 outputs but W2 (4, 10) takes 4 inputs");

        Path small = tmp.resolve("small.safetensors");
        SafeTensors.write(small, Map.of("W1", Tensor.zeros(700, 10), "b1", Tensor.zeros(10)));
        assertFailure(run("predict", "--weights", small.toString(), image.toString()), "mnist: --weights " + small
                + ": it holds a 700-10 network; predict needs 784 inputs (28 x 28 pixels) and 10 outputs (the digits)");

        Path noSoftmax = tmp.resolve("logits.safetensors");
        SafeTensors.write(noSoftmax, Map.of("W1", Tensor.zeros(784, 10), "b1", Tensor.zeros(10)),
                Map.of("architecture", "784-10(linear)"));
        assertFailure(run("predict", "--weights", noSoftmax.toString(), image.toString()), "mnist: --weights " + noSoftmax
                + ": its output layer is not softmax, so it gives no probabilities");
    }

    @Test
    void predict_badImages_exitOneWithTheReason() throws IOException {
        Path weights = constantThree();
        Path absent = tmp.resolve("absent.png");
        assertFailure(run("predict", "--weights", weights.toString(), absent.toString()),
                "mnist: cannot read image " + absent + ": expected an image file (PNG or JPEG), found nothing there");
        Path text = Files.writeString(tmp.resolve("note.png"), "not an image");
        Result r = run("predict", "--weights", weights.toString(), text.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("mnist: expected a PNG or JPEG image").contains(text.toString()).hasLineCount(1);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void predict_missingDataFolder_exitOne() throws IOException {
        Path weights = constantThree();
        Path absent = tmp.resolve("absent");
        Result r = run("predict", "--weights", weights.toString(), "--data", absent.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("mnist: MNIST data folder not found: tried " + absent + " (from --data);");
    }

    private static void assertFailure(Result r, String line) {
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo(line + "\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void predict_weightsLoadWeightsRefuses_refusedToo() throws IOException {
        Path image = AppFixtures.drawOne(tmp.resolve("one.png"));
        byte[] halves = new byte[784 * 10 * 2];
        Path f16 = tmp.resolve("f16.safetensors");
        String header = "{\"W1\":{\"dtype\":\"F16\",\"shape\":[784,10],\"data_offsets\":[0,15680]},"
                + "\"b1\":{\"dtype\":\"F16\",\"shape\":[10],\"data_offsets\":[15680,15700]}}";
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Files.write(f16, java.nio.ByteBuffer.allocate(8 + h.length + halves.length + 20).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).array());
        assertFailure(run("predict", "--weights", f16.toString(), image.toString()), "mnist: --weights " + f16
                + " does not fit this model (784-10(softmax)): W1 is F16, expected F32; b1 is F16, expected F32");

        Path declared = tmp.resolve("declared.safetensors");
        SafeTensors.write(declared, Map.of("W1", Tensor.zeros(784, 10), "b1", Tensor.zeros(10)),
                Map.of("architecture", "784-010(softmax)"));
        assertFailure(run("predict", "--weights", declared.toString(), image.toString()), "mnist: --weights " + declared
                + " does not fit this model (784-10(softmax)): its architecture metadata is '784-010(softmax)'");

        Path infinite = tmp.resolve("infinite.safetensors");
        Tensor w = Tensor.zeros(784, 10);
        w.data()[3] = Float.POSITIVE_INFINITY;
        SafeTensors.write(infinite, Map.of("W1", w, "b1", Tensor.zeros(10)));
        assertFailure(run("predict", "--weights", infinite.toString(), image.toString()), "mnist: --weights " + infinite
                + ": W1 has 1 non-finite value (the first, Infinity, at index 3)");
    }

    @Test
    @Timeout(10)
    void predict_specialFiles_refusedWithThePathOnce() throws Exception {
        Path weights = constantThree();
        Path image = AppFixtures.drawOne(tmp.resolve("one.png"));
        Path folder = Files.createDirectory(tmp.resolve("w.safetensors"));
        assertFailure(run("predict", "--weights", folder.toString(), image.toString()),
                "mnist: cannot read --weights " + folder + ": expected a safetensors file, found a folder");
        Path fifo = SpecialFiles.fifo(tmp.resolve("pipe.safetensors"));
        assertFailure(run("predict", "--weights", fifo.toString(), image.toString()),
                "mnist: cannot read --weights " + fifo + ": expected a safetensors file, found a FIFO (named pipe)");
        Path fifoImage = SpecialFiles.fifo(tmp.resolve("pipe.png"));
        assertFailure(run("predict", "--weights", weights.toString(), fifoImage.toString()),
                "mnist: cannot read image " + fifoImage + ": expected an image file (PNG or JPEG), found a FIFO (named pipe)");
        Path fifoData = SpecialFiles.fifo(tmp.resolve("data"));
        Result r = run("predict", "--weights", weights.toString(), "--data", fifoData.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("mnist: expected an MNIST data folder, found " + fifoData
                + " (from --data), which is not a folder;").hasLineCount(1);
    }
}
