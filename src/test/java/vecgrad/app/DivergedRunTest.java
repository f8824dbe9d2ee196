package vecgrad.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** A run whose training diverges says where, exits 3 and writes nothing, also with -q. */
final class DivergedRunTest {

    @ParameterizedTest
    @ValueSource(strings = {"tape", "fit", "manual"})
    void run_hugeLearningRate_exitThreeNamesWhereAndSavesNothing(String method, @TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        Path weights = dir.resolve("w.safetensors");
        AppFixtures.Result r = AppFixtures.run("--lr", "1e6", "--methods", method, "--train-limit", "2000",
                "--test-limit", "200", "--epochs", "3", "-q", "--out", out.toString(), "--save", weights.toString());
        assertThat(r.status()).as(r.err()).isEqualTo(3);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("mnist: training diverged: epoch ").containsPattern("epoch [1-3], step [0-9]+: ")
                .doesNotContain("\tat ");
        assertThat(r.out()).doesNotContain("bit-identical").doesNotContain("NaN");
        assertThat(weights).doesNotExist();
        try (Stream<Path> written = Files.exists(out) ? Files.list(out) : Stream.empty()) {
            assertThat(written).as("no report").isEmpty();
        }
    }
}
