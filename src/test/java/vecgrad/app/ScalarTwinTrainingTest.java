package vecgrad.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.testing.ChildJava;
import vecgrad.app.AppFixtures.Result;
import vecgrad.io.SafeTensors;
import vecgrad.io.SafeTensorsContents;
import vecgrad.kernel.KernelProvider;
import vecgrad.tensor.Tensor;

/**
 * The scalar kernels are the specification of the SIMD ones, bit for bit: a whole epoch of the
 * report's training on full MNIST ends with the same weights on both. Long: {@code mvn -Pslow verify}.
 */
@Tag("slow")
final class ScalarTwinTrainingTest {

    @Test
    void fitOneEpoch_simdAndScalarKernels_giveBitIdenticalWeights(@TempDir Path dir) throws Exception {
        assertThat(KernelProvider.get().name()).startsWith("simd-");
        String[] args = {"--epochs", "1", "--methods", "fit", "--quiet"};
        Path simd = dir.resolve("simd.safetensors");
        Result r = AppFixtures.run(concat(args, "--out", dir.resolve("simd").toString(), "--save", simd.toString()));
        assertThat(r.status()).as(r.err()).isZero();

        Path scalar = dir.resolve("scalar.safetensors");
        ChildJava.Result child = ChildJava.run(ChildJava.testClassPath(),
                List.of("--add-modules", "jdk.incubator.vector", "-Dvecgrad.kernels=scalar"), Main.class.getName(),
                Duration.ofMinutes(10), List.of(concat(args, "--out", dir.resolve("scalar").toString(), "--save", scalar.toString())));
        assertThat(child.status()).as(child.output()).isZero();

        SafeTensorsContents a = SafeTensors.read(simd);
        SafeTensorsContents b = SafeTensors.read(scalar);
        assertThat(b.tensors().keySet()).containsExactlyElementsOf(a.tensors().keySet()).hasSize(8);
        for (String name : a.tensors().keySet()) {
            Tensor x = a.tensor(name);
            Tensor y = b.tensor(name);
            assertThat(x.data()).as(name).isEqualTo(y.data());
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
