package vecgrad.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training command runs in a 256 MB heap: MNIST stays bytes and batches are converted as they are
 * filled. A smaller heap than it needs gets one line saying how much it needs.
 */
final class HeapLimitTest {

    @Test
    void train_in256MegabyteHeap_runsEveryMethod(@TempDir Path out) throws Exception {
        // One epoch holds as much memory as five: the data, three models and their buffers.
        ChildJvm.Result r = ChildJvm.runMain(List.of("-Xmx256m"), 300, "--epochs", "1", "-q", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("(?m)^tape +42 ").containsPattern("(?m)^fit +42 ")
                .containsPattern("(?m)^manual +42 ").contains("tape-fit 0 (bit-identical)");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void train_tooSmallHeap_oneLineWithTheNeed(@TempDir Path out) throws Exception {
        ChildJvm.Result r = ChildJvm.runMain(List.of("-Xmx64m"), 120, "--epochs", "1", "-q", "--out", out.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("mnist: out of memory loading MNIST with at most ")
                .contains("needs about 128 MB").contains("-Xmx256m").doesNotContain("\tat ");
    }
}
