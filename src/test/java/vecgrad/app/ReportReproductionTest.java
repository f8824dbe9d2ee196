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
 * The default run of mnist.jar, as a user starts it: the report's network, 5 epochs, batch 128, Adam,
 * the three methods from seed 42 on the full MNIST data, in a 256 MB heap. Long: run by
 * {@code mvn -Pslow verify}.
 */
@Tag("slow")
final class ReportReproductionTest {

    @Test
    void defaultRun_everyMethodReachesTheReportsAccuracyWithIdenticalWeights(@TempDir Path out) throws Exception {
        // In a JVM of its own with the heap the hardening issue promises the default run fits in.
        ChildJvm.Result r = ChildJvm.runMain(List.of("-Xmx256m"), 900, "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        // The numbers README's table shows: a change that moves them must say so (README and the note).
        for (String method : List.of("tape", "fit", "manual")) {
            assertThat(r.out()).containsPattern("(?m)^" + method + " +42 +0\\.9777 +0\\.0720 +0\\.9797 ");
        }
        String json = Files.readString(out.resolve("results.json"), StandardCharsets.UTF_8);
        List<Double> accuracies = numbers(json, "testAccuracy");
        assertThat(accuracies).hasSize(3).allSatisfy(a -> assertThat(a).isGreaterThanOrEqualTo(0.975));
        assertThat(numbers(json, "epoch")).hasSize(15);
        assertThat(numbers(json, "tape-fit")).containsExactly(0.0);
        assertThat(numbers(json, "tape-manual")).containsExactly(0.0);
        System.out.println(r.out());
    }

    private static List<Double> numbers(String json, String key) {
        return Pattern.compile("\"" + Pattern.quote(key) + "\": (-?[0-9][0-9.eE+-]*)").matcher(json).results()
                .map(x -> Double.parseDouble(x.group(1))).toList();
    }
}
