package vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;

/**
 * The checker itself: it must fail deliberately wrong backward rules (defined with {@link Ops#custom}),
 * each a mistake a hand-written rule can make, and pass the same op with the right rule.
 */
final class GradientCheckerTest {

    private final GradientChecker checker = new GradientChecker(7L);

    /** A matmul whose backward rule is given; the forward is the real matmul. */
    private static Tensor matmulWithRule(Tensor a, Tensor b, CustomGradient rule) {
        return Ops.custom("matmul_custom", in -> Ops.matmul(in[0], in[1]), rule, a, b);
    }

    private void checkMatmul(CustomGradient rule) {
        int n = 4;
        checker.check("matmul with a custom rule", x -> matmulWithRule(x[0], x[1], rule),
                r -> Ref.matmul(r[0], r[1], n, n, n), checker.uniform(-1, 1, n, n), checker.uniform(-1, 1, n, n));
    }

    @Test
    void check_correctMatmulRule_passes() {
        assertThatCode(() -> checkMatmul((g, y, in) -> new Tensor[] {
            Ops.matmul(g, transpose(in[1])), Ops.matmul(transpose(in[0]), g)}))
                .doesNotThrowAnyException();
    }

    @Test
    void check_missingTranspose_fails() {
        // da = g·b instead of g·bᵀ (square shapes, so only the values can tell)
        assertThatThrownBy(() -> checkMatmul((g, y, in) -> new Tensor[] {
            Ops.matmul(g, in[1]), Ops.matmul(transpose(in[0]), g)}))
                .isInstanceOf(AssertionError.class).hasMessageContaining("gradient of input 0");
    }

    @Test
    void check_swappedProductOrder_fails() {
        // db = g·aᵀ instead of aᵀ·g
        assertThatThrownBy(() -> checkMatmul((g, y, in) -> new Tensor[] {
            Ops.matmul(g, transpose(in[1])), Ops.matmul(g, transpose(in[0]))}))
                .isInstanceOf(AssertionError.class).hasMessageContaining("gradient of input 1");
    }

    @Test
    void check_wrongSign_fails() {
        assertThatThrownBy(() -> checker.check("exp with a sign error",
                x -> Ops.custom("exp_custom", in -> Ops.exp(in[0]), (g, y, in) -> new Tensor[] {Ops.scale(Ops.mul(g, y), -1f)},
                        x[0]),
                r -> Ref.map(r[0], Math::exp), checker.uniform(-1, 1, 3, 5)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("gradient of input 0");
    }

    @Test
    void check_missingFactor_fails() {
        // d(x²) = g·x, without the 2
        assertThatThrownBy(() -> checker.check("square without its factor 2",
                x -> Ops.custom("square_custom", in -> Ops.square(in[0]), (g, y, in) -> new Tensor[] {Ops.mul(g, in[0])}, x[0]),
                r -> Ref.map(r[0], v -> v * v), checker.uniform(-1, 1, 3, 5)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("gradient of input 0");
    }

    @Test
    void check_missingOneOverM_fails() {
        // the mean's gradient without 1/m, on m = 2 rows (the smallest m where 1/m matters)
        assertThatThrownBy(() -> checker.check("mean over rows without 1/m",
                x -> Ops.custom("mean_custom", in -> Ops.mean(in[0], 0),
                        (g, y, in) -> new Tensor[] {Ops.add(Ops.scale(in[0], 0f), g)}, x[0]),
                r -> Ref.map(Ref.sum(r[0], 2, 3, 0), v -> v / 2), checker.uniform(-1, 1, 2, 3)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("gradient of input 0");
    }

    @Test
    void check_slightlyWrongRule_fails() {
        // a rule off by 0.1% (e.g. a constant rounded in the derivation) is still caught
        assertThatThrownBy(() -> checker.check("tanh off by 0.1%",
                x -> Ops.custom("tanh_custom", in -> ActivationOps.tanh(in[0]),
                        (g, y, in) -> new Tensor[] {Ops.scale(Ops.sub(g, Ops.mul(g, Ops.square(y))), 1.001f)}, x[0]),
                r -> Ref.map(r[0], Math::tanh), checker.uniform(-1, 1, 3, 5)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("gradient of input 0");
    }

    @Test
    void check_wrongForward_fails() {
        assertThatThrownBy(() -> checker.check("relu checked against tanh", x -> ActivationOps.relu(x[0]),
                r -> Ref.map(r[0], Math::tanh), checker.uniform(0.1f, 1, 2, 2)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("output");
    }

    /** xᵀ for x (r,c), built from the primitives, as a test utility (not an op of the library). */
    private static Tensor transpose(Tensor x) {
        int r = x.rows();
        int c = x.cols();
        float[] t = new float[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                t[j * r + i] = x.get(i, j);
            }
        }
        return Tensor.of(t, c, r);
    }
}
