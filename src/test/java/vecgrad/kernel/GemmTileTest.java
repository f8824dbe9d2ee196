package vecgrad.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Both register tiles of {@link SimdGemm} (6x4 vectors for CPUs with 32 vector registers, 6x2 for
 * those with 16) give the scalar kernels' bits, at every width this CPU runs and on 1-3 threads,
 * whichever tile the CPU would choose.
 */
final class GemmTileTest {

    private static final int[][] SHAPES = {
        {1, 1, 1}, {7, 13, 5}, {6, 31, 17}, {13, 129, 33}, {31, 785, 129}, {129, 127, 31}, {17, 129, 785}, {128, 64, 10},
    };

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void bothTiles_sameBitsAsScalar_atEveryWidthAndThreadCount() {
        int widest = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        Random random = new Random(7);
        int checked = 0;
        for (int bits = 128; bits <= widest; bits *= 2) {
            for (int nv : new int[] {2, 4}) {
                for (boolean sideBySide : new boolean[] {false, true}) {
                    SimdGemm gemm = new SimdGemm(SimdWidth.of(bits), 1, nv, 264, sideBySide);
                    for (int threads = 1; threads <= 3; threads++) {
                        Parallel.setThreads(threads);
                        checked += sameBitsAsScalar(gemm, random, SHAPES, "tile 6x" + nv + " at " + bits
                                + " bits, side by side " + sideBySide + ", threads=" + threads);
                    }
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(2 * 2 * 2 * 3 * 3 * SHAPES.length * 2);
    }

    @Test
    void rowBlocks_sameBitsAsScalar_forTallProducts() {
        // Blocks of 6, 12 and 264 rows (the default) and none: the row blocks reorder the tiles, never
        // the fma chain of an element. m spans several blocks, with a ragged last one.
        int[][] shapes = {{557, 37, 45}, {301, 600, 19}, {73, 19, 64}};
        Random random = new Random(11);
        int checked = 0;
        for (int rowBlock : new int[] {6, 12, 264, 0}) {
            SimdGemm gemm = new SimdGemm(SimdWidth.of(FloatVector.SPECIES_PREFERRED.vectorBitSize()), 1, 2, rowBlock,
                    rowBlock % 12 == 0);
            for (int threads = 1; threads <= 2; threads++) {
                Parallel.setThreads(threads);
                checked += sameBitsAsScalar(gemm, random, shapes, "row block " + rowBlock + ", threads=" + threads);
            }
        }
        assertThat(checked).isEqualTo(4 * 2 * 3 * 3 * 2);
        assertThat(SimdGemm.rowBlock(null)).isEqualTo(264);
        assertThat(SimdGemm.rowBlock("0")).isZero();
        assertThat(SimdGemm.rowBlock("60")).isEqualTo(60);
        assertThatThrownBy(() -> SimdGemm.rowBlock("50")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vecgrad.gemmRowBlock: expected 0 or a positive multiple of 6, got '50'");
        assertThatThrownBy(() -> SimdGemm.rowBlock("x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vecgrad.gemmRowBlock: expected 0 or a positive multiple of 6, got 'x'");
        assertThatThrownBy(() -> new SimdGemm(SimdWidth.of(128), 1, 2, 7, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SimdGemm: expected a row block of 0 or a positive multiple of 6, got 7");
    }

    /**
     * Each variant of {@code gemm} on each shape, with and without accumulation, against the scalar
     * kernels, bit for bit; returns the number of products checked.
     */
    private static int sameBitsAsScalar(SimdGemm gemm, Random random, int[][] shapes, String what) {
        int checked = 0;
        for (int variant : new int[] {SimdGemm.AB, SimdGemm.ATB, SimdGemm.ABT}) {
            checked += KernelTesting.productSameBitsAsScalar(gemm::multiply, variant, random, List.of(shapes), what);
        }
        return checked;
    }

    @Test
    void sideBySide_onJdk17Only_andRefusesOtherOverrides() {
        assertThat(SimdGemm.sideBySide(null, 17)).isTrue();
        assertThat(SimdGemm.sideBySide(null, 25)).isFalse();
        assertThat(SimdGemm.sideBySide(null, 21)).isFalse();
        assertThat(SimdGemm.sideBySide("true", 25)).isTrue();
        assertThat(SimdGemm.sideBySide("false", 17)).isFalse();
        assertThatThrownBy(() -> SimdGemm.sideBySide("yes", 17)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vecgrad.gemmSideBySide: expected true or false, got 'yes'");
    }

    @Test
    void tileVectors_followsTheRegisterCount_andRefusesOtherOverrides() {
        assertThat(SimdGemm.tileVectors(null)).isEqualTo(FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512 ? 4 : 2);
        assertThat(SimdGemm.tileVectors("4")).isEqualTo(4);
        assertThat(SimdGemm.tileVectors("2")).isEqualTo(2);
        assertThatThrownBy(() -> SimdGemm.tileVectors("3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vecgrad.gemmTileVectors: expected 2 or 4, got '3'");
        assertThatThrownBy(() -> new SimdGemm(SimdWidth.of(128), 1, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SimdGemm: expected 2 or 4 vectors per tile row, got 8");
    }
}
