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
 * data, batch 128, Adam 1e-3, methods tape and fit from seed 42. Long (about 4 minutes per method on an
 * idle 2-core machine, twice that when it is shared): run by {@code mvn -Pslow verify}.
 */
@Tag("slow")
final class CnnReproductionTest {

    @Test
    void cnnRun_everyMethodReaches99PercentWithIdenticalWeights(@TempDir Path out) throws Exception {
        ChildJvm.Result r = ChildJvm.runMain(List.of("-Xmx512m"), 3600, "--model", "cnn", "--epochs", "5", "--out",
                out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("tape-fit 0 (bit-identical)");
        String json = Files.readString(out.resolve("results.json"), StandardCharsets.UTF_8);
        List<Double> accuracies = numbers(json, "testAccuracy");
        assertThat(accuracies).hasSize(2).allSatisfy(a -> assertThat(a).isGreaterThanOrEqualTo(0.99));
        assertThat(numbers(json, "epoch")).hasSize(10);
        assertThat(numbers(json, "tape-fit")).containsExactly(0.0);
        System.out.println(r.out());
    }

    private static List<Double> numbers(String json, String key) {
        return Pattern.compile("\"" + Pattern.quote(key) + "\": (-?[0-9][0-9.eE+-]*)").matcher(json).results()
                .map(x -> Double.parseDouble(x.group(1))).toList();
    }
}
