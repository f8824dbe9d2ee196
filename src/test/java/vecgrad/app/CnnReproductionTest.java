package vecgrad.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mnist --model cnn --epochs 15} as a user starts it: Keras' Simple MNIST convnet on the full MNIST
 * data, batch 128, Adam 1e-3, methods tape and fit from seed 42, for the 15 epochs of Keras' own example
 * (keras-io examples/vision/mnist_convnet.py), which is what its ~99% takes. Long (about 15 minutes on the
 * 2-core development machine): run by {@code mvn -Pslow verify}.
 */
@Tag("slow")
final class CnnReproductionTest {

    @Test
    void cnnRun15Epochs_tapeAndFitReach099WithIdenticalWeights(@TempDir Path out) throws Exception {
        ChildJvm.Result r = ChildJvm.runMain(List.of("-Xmx512m"), 5400, "--model", "cnn", "--epochs", "15", "--out",
                out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("tape-fit 0 (bit-identical)");
        String json = Files.readString(out.resolve("results.json"), StandardCharsets.UTF_8);
        List<Double> accuracies = numbers(json, "testAccuracy");
        // Measured (fit alone, seed 42): test accuracy 0.9917, loss 0.0247, best validation accuracy 0.9918.
        // After 5 epochs the same run is at 0.9861: Keras' example needs its 15 epochs for 0.99, so the issue's
        // "0.99 after 5 epochs" is not what this network does, in Keras or here.
        assertThat(accuracies).hasSize(2).allSatisfy(a -> assertThat(a).isGreaterThanOrEqualTo(0.99));
        assertThat(accuracies.get(0)).isEqualTo(accuracies.get(1));
        assertThat(numbers(json, "epoch")).hasSize(30);
        assertThat(numbers(json, "tape-fit")).containsExactly(0.0);
        System.out.println(r.out());
    }

    private static List<Double> numbers(String json, String key) {
        return Pattern.compile("\"" + Pattern.quote(key) + "\": (-?[0-9][0-9.eE+-]*)").matcher(json).results()
                .map(x -> Double.parseDouble(x.group(1))).toList();
    }
}
