package vecgrad.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import vecgrad.tensor.Backend;

final class WarmUpTest {

    @Test
    void run_nullKernelsRejected() {
        assertThatThrownBy(() -> WarmUp.run(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("expected the kernels to warm, got null");
    }

    @Test
    void run_scalarAndChosenKernelsGiveTheSameChecksum() {
        // The warm-up computes the same thing with every kernel set: a different checksum would mean
        // it reads something outside its own inputs.
        assertThat(WarmUp.run(KernelProvider.get())).isEqualTo(WarmUp.run(ScalarKernels.INSTANCE));
    }

    @Test
    void warmUpInBackground_leavesConcurrentProductsUnchanged() throws InterruptedException {
        // Products on this thread while the warm-up runs on another must equal the same products
        // computed alone, bit for bit, whichever thread gets the shared workers.
        Random random = new Random(7);
        int m = 67;
        int k = 530;
        int n = 45;
        float[] a = KernelTesting.randomArray(random, m * k);
        float[] b = KernelTesting.randomArray(random, k * n);
        float[] bt = KernelTesting.randomArray(random, n * k);
        float[] g = KernelTesting.randomArray(random, m * n);
        Kernels kernels = KernelProvider.get();
        float[] expectedAb = new float[m * n];
        float[] expectedAbt = new float[m * n];
        float[] expectedAtg = new float[k * n];
        kernels.matmul(a, b, expectedAb, m, k, n, false);
        kernels.matmulTransB(a, bt, expectedAbt, m, k, n, false);
        kernels.matmulTransA(a, g, expectedAtg, k, m, n, false);

        Thread warm = Backend.warmUpInBackground();
        assertThat(warm.isDaemon()).isTrue();
        assertThat(warm.getName()).isEqualTo("vecgrad-warm-up");
        float[] ab = new float[m * n];
        float[] abt = new float[m * n];
        float[] atg = new float[k * n];
        int rounds = 0;
        do {
            kernels.matmul(a, b, ab, m, k, n, false);
            kernels.matmulTransB(a, bt, abt, m, k, n, false);
            kernels.matmulTransA(a, g, atg, k, m, n, false);
            KernelTesting.assertSameBits(expectedAb, ab, "a·b during the warm-up, round " + rounds);
            KernelTesting.assertSameBits(expectedAbt, abt, "a·bᵀ during the warm-up, round " + rounds);
            KernelTesting.assertSameBits(expectedAtg, atg, "aᵀ·g during the warm-up, round " + rounds);
            rounds++;
        } while (warm.isAlive() || rounds < 20);
        warm.join();
    }

    @Test
    void warmUp_returnsItsDuration() {
        assertThat(Backend.warmUp()).isPositive();
    }
}
