package vecgrad.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * On a JVM without {@code --add-modules jdk.incubator.vector} (plain {@code java -jar}): the provider
 * falls back to the scalar kernels and says how to enable SIMD, and the SIMD test class is skipped by
 * its assumption rather than failed. Runs in a child JVM, since this one has the module.
 */
final class VectorModuleAbsentTest {

    @Test
    void withoutModule_scalarFallbackAndSimdTestsSkipped() throws Exception {
        KernelTesting.ChildResult child = KernelTesting.runJava(List.of(), Probe.class);
        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(child.output())
                .contains("present=false")
                .contains("kernels=scalar")
                .contains("--add-modules jdk.incubator.vector")
                .contains("simd=UnsupportedOperationException")
                .contains("simdTests=skipped");
    }

    /** The child: reports what the provider and the SIMD test's assumption do without the module. */
    static final class Probe {
        public static void main(String[] args) {
            System.out.println("present=" + KernelProvider.vectorModulePresent());
            System.out.println("kernels=" + KernelProvider.get().name());
            try {
                KernelProvider.simd(0);
                System.out.println("simd=created");
            } catch (UnsupportedOperationException e) {
                System.out.println("simd=UnsupportedOperationException");
            }
            try {
                SimdKernelsTest.requireVectorModule();
                System.out.println("simdTests=run");
            } catch (TestAbortedException e) {
                System.out.println("simdTests=skipped");
            }
        }
    }
}
