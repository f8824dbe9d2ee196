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
 * {@code mnist --model cnn --epochs 5} as a user starts it: Keras' Simple MNIST convnet on the full MNIST
 * data, batch 128, Adam 1e-3, methods tape and fit from seed 42. Long (measured on the 2-core
 * development machine: 319 s for this test, 172 s and 139 s of training; about 15 minutes when the
 * machine is shared with other builds): run by {@code mvn -Pslow verify}.
 */
@Tag("slow")
final class CnnReproductionTest {

    @Test
    void cnnRun_tapeAndFitReach0985WithIdenticalWeights(@TempDir Path out) throws Exception {
        ChildJvm.Result r = ChildJvm.runMain(List.of("-Xmx512m"), 3600, "--model", "cnn", "--epochs", "5", "--out",
                out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("tape-fit 0 (bit-identical)");
        String json = Files.readString(out.resolve("results.json"), StandardCharsets.UTF_8);
        List<Double> accuracies = numbers(json, "testAccuracy");
        // Measured: 0.9861 for both (tape and fit are the same bits), best validation accuracy 0.9890.
        // Keras' own example trains this network for 15 epochs for its ~0.99 (keras-io
        // examples/vision/mnist_convnet.py); 0.99 after 5 is not reached, so not asserted.
        assertThat(accuracies).hasSize(2).allSatisfy(a -> assertThat(a).isGreaterThanOrEqualTo(0.985));
        assertThat(accuracies.get(0)).isEqualTo(accuracies.get(1));
        assertThat(numbers(json, "epoch")).hasSize(10);
        assertThat(numbers(json, "tape-fit")).containsExactly(0.0);
        System.out.println(r.out());
    }

    private static List<Double> numbers(String json, String key) {
        return Pattern.compile("\"" + Pattern.quote(key) + "\": (-?[0-9][0-9.eE+-]*)").matcher(json).results()
                .map(x -> Double.parseDouble(x.group(1))).toList();
    }
}
