package vecgrad.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

final class KernelProviderTest {

    @Test
    void choose_scalarForcedWhateverTheModule() {
        assertThat(KernelProvider.choose("scalar", null)).isSameAs(ScalarKernels.INSTANCE);
        assertThat(KernelProvider.choose(" SCALAR ", "256")).isSameAs(ScalarKernels.INSTANCE);
    }

    @Test
    void choose_unknownModeRejected() {
        assertThatThrownBy(() -> KernelProvider.choose("gpu", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auto, scalar or simd").hasMessageContaining("'gpu'");
    }

    @Test
    void choose_badVectorBitsRejected() {
        for (String bits : List.of("100", "x", "1024", "-128")) {
            assertThatThrownBy(() -> KernelProvider.choose("auto", bits))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("128, 256 or 512").hasMessageContaining("'" + bits + "'");
        }
    }

    @Test
    void choose_autoPicksSimdWhenTheModuleIsPresent() {
        assumeTrue(KernelProvider.vectorModulePresent(), "jdk.incubator.vector is not in the boot layer");
        assertThat(KernelProvider.choose("auto", null).name()).matches("simd-(128|256|512)");
        assertThat(KernelProvider.choose(null, " ").name()).matches("simd-(128|256|512)");
    }

    @Test
    void choose_simdWithPinnedWidth() {
        assumeTrue(KernelProvider.vectorModulePresent(), "jdk.incubator.vector is not in the boot layer");
        assumeTrue(KernelTesting.simdOrNull(128) != null, "no 128-bit float vectors on this CPU");
        assertThat(KernelProvider.choose("simd", "128").name()).isEqualTo("simd-128");
        assertThat(KernelProvider.choose("Simd", " 128 ").name()).isEqualTo("simd-128");
    }

    @Test
    void get_returnsTheSameKernelsEveryTime() {
        assertThat(KernelProvider.get()).isSameAs(KernelProvider.get());
        assertThat(KernelProvider.get().name()).matches("scalar|simd-(128|256|512)");
    }
}
