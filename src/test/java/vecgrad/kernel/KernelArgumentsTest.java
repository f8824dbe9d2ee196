package vecgrad.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad arguments are rejected on entry, before any output is written, by every implementation. */
final class KernelArgumentsTest {

    /** The scalar kernels, and the SIMD kernels when the Vector API module is present. */
    static List<Kernels> implementations() {
        List<Kernels> all = new ArrayList<>();
        all.add(ScalarKernels.INSTANCE);
        if (KernelProvider.vectorModulePresent()) {
            all.add(KernelProvider.simd(0));
        }
        return all;
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void matmul_shortArraysRejectedBeforeWriting(Kernels kernels) {
        float[] c = {1f, 2f, 3f, 4f};
        // a (2,3) needs 6, b (3,2) needs 6, c (2,2) needs 4
        assertThatThrownBy(() -> kernels.matmul(new float[5], new float[6], c, 2, 3, 2, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("matmul").hasMessageContaining("array a needs 6").hasMessageContaining("has 5");
        assertThatThrownBy(() -> kernels.matmulTransA(new float[6], new float[5], c, 2, 3, 2, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("array b needs 6");
        assertThatThrownBy(() -> kernels.matmulTransB(new float[6], new float[6], new float[3], 2, 3, 2, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("array c needs 4");
        assertThat(c).containsExactly(1f, 2f, 3f, 4f);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void matmul_negativeDimensionsRejected(Kernels kernels) {
        assertThatThrownBy(() -> kernels.matmul(new float[4], new float[4], new float[4], 2, -1, 2, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k=-1");
        assertThatThrownBy(() -> kernels.matmulTransB(new float[4], new float[4], new float[4], -2, 1, 2, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("m=-2");
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void matmul_outputAliasingAnInputRejected(Kernels kernels) {
        float[] x = {1f, 2f, 3f, 4f};
        assertThatThrownBy(() -> kernels.matmul(x, new float[4], x, 2, 2, 2, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be an input");
        assertThatThrownBy(() -> kernels.matmulTransA(new float[4], x, x, 2, 2, 2, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be an input");
        assertThat(x).containsExactly(1f, 2f, 3f, 4f);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void matmul_nullArrayRejected(Kernels kernels) {
        assertThatThrownBy(() -> kernels.matmul(new float[4], null, new float[4], 2, 2, 2, false))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("array b is null");
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void elementwise_shortOrNegativeRejectedBeforeWriting(Kernels kernels) {
        float[] out = {7f, 7f};
        assertThatThrownBy(() -> kernels.firstNonFinite(new float[2], 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("firstNonFinite: array x needs 3");
        assertThatThrownBy(() -> kernels.unsignedBytesToFloats(null, 0, out, 0, 1, 255f))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("unsignedBytesToFloats: array src is null");
        assertThatThrownBy(() -> kernels.unsignedBytesToFloats(new byte[4], 3, out, 0, 2, 255f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("array src needs 5 elements for offset 3");
        assertThatThrownBy(() -> kernels.unsignedBytesToFloats(new byte[4], 0, out, 1, 2, 255f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("array dst needs 3 elements");
        assertThatThrownBy(() -> kernels.unsignedBytesToFloats(new byte[4], -1, out, 0, 1, 255f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset -1");
        assertThatThrownBy(() -> kernels.unsignedBytesToFloats(new byte[4], 0, out, 0, -1, 255f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count -1");
        assertThatThrownBy(() -> kernels.relu(new float[3], out, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relu: array out needs 3");
        assertThatThrownBy(() -> kernels.reluBackward(new float[2], new float[1], out, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("array grad needs 2");
        assertThatThrownBy(() -> kernels.scale(2f, new float[2], out, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be >= 0");
        assertThatThrownBy(() -> kernels.axpy(2f, new float[1], out, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("array x needs 2");
        assertThatThrownBy(() -> kernels.add(new float[2], new float[1], out, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("add: array b needs 2");
        assertThatThrownBy(() -> kernels.mul(new float[1], new float[2], out, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mul: array a needs 2");
        assertThatThrownBy(() -> kernels.adamUpdate(out, new float[2], new float[2], new float[1], null, 2, 1f, 0.1f,
                0.01f, 1e-7f, 1f, 0f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("adamUpdate: array v needs 2");
        assertThatThrownBy(() -> kernels.adamUpdate(out, new float[2], new float[2], new float[2], new float[1], 2, 1f,
                0.1f, 0.01f, 1e-7f, 1f, 0f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("array vHat needs 2");
        assertThatThrownBy(() -> kernels.sgdUpdate(out, new float[1], null, 2, 1f, 0f, false, 0f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sgdUpdate: array g needs 2");
        assertThatThrownBy(() -> kernels.rmspropUpdate(out, new float[2], new float[2], null, new float[1], 2, 1f, 0.9f,
                0.1f, 0.5f, 1e-7f, 0f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rmspropUpdate: array p needs 2");
        assertThatThrownBy(() -> kernels.adagradUpdate(out, new float[2], null, 2, 1f, 1e-7f, 0f))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("adagradUpdate: array acc is null");
        assertThatThrownBy(() -> kernels.nadamUpdate(new float[1], new float[2], new float[2], new float[2], 2, 1f, 0.1f,
                0.01f, 0.9f, 0.5f, 0.5f, 0.5f, 0.01f, 1e-7f, 0f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nadamUpdate: array w needs 2");
        assertThatThrownBy(() -> kernels.adamaxUpdate(out, new float[2], new float[2], new float[1], 2, 1f, 0.1f, 0.999f,
                0.1f, 1e-7f, 0f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("adamaxUpdate: array u needs 2");
        assertThat(out).containsExactly(7f, 7f);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void rowKernels_badShapesRejectedBeforeWriting(Kernels kernels) {
        float[] out = {7f, 7f, 7f, 7f};
        assertThatThrownBy(() -> kernels.addRowVector(new float[4], new float[1], out, 2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("array bias needs 2");
        assertThatThrownBy(() -> kernels.columnSums(new float[4], out, -2, 2, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rows=-2");
        assertThatThrownBy(() -> kernels.softmaxRows(new float[3], out, 2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("array x needs 4");
        assertThatThrownBy(() -> kernels.argmaxRows(new float[4], new int[1], 2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out needs 2");
        assertThatThrownBy(() -> kernels.argmaxRows(new float[4], new int[2], 2, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cols >= 1");
        assertThat(out).containsExactly(7f, 7f, 7f, 7f);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void columnSums_outputAliasingInputRejected(Kernels kernels) {
        float[] x = {1f, 2f, 3f, 4f};
        assertThatThrownBy(() -> kernels.columnSums(x, x, 2, 2, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be the input x");
        assertThat(x).containsExactly(1f, 2f, 3f, 4f);
    }
}
