package vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;

/** The public check: passes right rules in both precisions, fails deliberately wrong ones (Ops.custom). */
final class GradientCheckTest {

    private final Random rng = new Random(3);

    private Tensor uniform(float lo, float hi, int... shape) {
        return Tensor.randomUniform(rng, lo, hi, shape);
    }

    /** A dense layer with tanh, from recorded ops: what a user's layer looks like. */
    private static Tensor denseTanh(List<Tensor> in) {
        return ActivationOps.tanh(Ops.add(Ops.matmul(in.get(0), in.get(1)), in.get(2)));
    }

    /** The same in double: tanh(x·w + b), x (m,k), w (k,n), b (n). */
    private static double[] denseTanhRef(double[][] r, int m, int k, int n) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = r[2][j];
                for (int p = 0; p < k; p++) {
                    s += r[0][i * k + p] * r[1][p * n + j];
                }
                out[i * n + j] = Math.tanh(s);
            }
        }
        return out;
    }

    /** x² with a given rule. */
    private static Tensor squareWithRule(Tensor x, CustomGradient rule) {
        return Ops.custom("square_custom", in -> Ops.square(in[0]), rule, x);
    }

    @Test
    void checkFloat_correctRulesPass() {
        List<Tensor> in = List.of(uniform(-1, 1, 5, 3), uniform(-1, 1, 3, 4), uniform(-1, 1, 4));
        GradientCheck.Result r = GradientCheck.check(GradientCheckTest::denseTanh, in).assertPassed();
        assertThat(r.rtol()).isEqualTo(GradientCheck.FLOAT_RTOL);
        assertThat(r.maxRelativeError()).as("float differences are good to about 1e-4 of the scale").isLessThan(1e-3);
        Tensor labels = Tensor.oneHot(new int[] {2, 0, 1}, 4);
        GradientCheck.check(in2 -> LossOps.categoricalCrossentropy(labels, ActivationOps.softmax(in2.get(0))),
                List.of(uniform(-2, 2, 3, 4))).assertPassed();
        GradientCheck.check(in2 -> squareWithRule(in2.get(0), (g, y, x) -> new Tensor[] {Ops.scale(Ops.mul(g, x[0]), 2f)}),
                List.of(uniform(-3, 3, 2, 5))).assertPassed();
    }

    @Test
    void checkFloat_wrongRulesFail() {
        Tensor x = uniform(-3, 3, 2, 5);
        GradientCheck.Result noFactor = GradientCheck.check(
                in -> squareWithRule(in.get(0), (g, y, xs) -> new Tensor[] {Ops.mul(g, xs[0])}), List.of(x));
        assertThat(noFactor.passed()).isFalse();
        assertThatThrownBy(noFactor::assertPassed).isInstanceOf(AssertionError.class)
                .hasMessageContaining("gradient of input 0 (2, 5) at flat index");
        GradientCheck.Result sign = GradientCheck.check(
                in -> squareWithRule(in.get(0), (g, y, xs) -> new Tensor[] {Ops.scale(Ops.mul(g, xs[0]), -2f)}), List.of(x));
        assertThat(sign.passed()).isFalse();
        assertThat(sign.maxRelativeError()).isGreaterThan(1);
    }

    @Test
    void checkDouble_correctRulePasses() {
        List<Tensor> in = List.of(uniform(-1, 1, 5, 3), uniform(-1, 1, 3, 4), uniform(-1, 1, 4));
        GradientCheck.Result r = GradientCheck.check(GradientCheckTest::denseTanh, ref -> denseTanhRef(ref, 5, 3, 4), in)
                .assertPassed();
        assertThat(r.rtol()).isEqualTo(GradientCheck.RTOL);
        assertThat(r.maxRelativeError()).isLessThan(1e-5);
    }

    @Test
    void checkDouble_slightlyWrongRuleFails() {
        // 0.1% off: within float differences' reach only with a double reference
        CustomGradient offByATenthPercent = (g, y, xs) -> new Tensor[] {Ops.scale(Ops.mul(g, xs[0]), 2.002f)};
        Tensor x = uniform(-3, 3, 2, 5);
        GradientCheck.Result r = GradientCheck.check(in -> squareWithRule(in.get(0), offByATenthPercent),
                ref -> java.util.Arrays.stream(ref[0]).map(v -> v * v).toArray(), List.of(x));
        assertThat(r.passed()).isFalse();
        assertThat(r.worst()).contains("gradient of input 0");
    }

    @Test
    void checkDouble_wrongForwardFails() {
        GradientCheck.Result r = GradientCheck.check(in -> ActivationOps.relu(in.get(0)),
                ref -> java.util.Arrays.stream(ref[0]).map(Math::tanh).toArray(), List.of(uniform(0.1f, 1, 2, 2)));
        assertThat(r.passed()).isFalse();
        assertThat(r.worst()).startsWith("output at flat index");
    }

    @Test
    void check_restoresTheInputs() {
        Tensor x = uniform(-1, 1, 3, 3);
        float[] before = x.data().clone();
        GradientCheck.check(in -> ActivationOps.tanh(in.get(0)), List.of(x));
        assertThat(x.data()).isEqualTo(before);
    }

    @Test
    void check_badArguments() {
        assertThatThrownBy(() -> GradientCheck.check(in -> in.get(0), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one input");
        Tensor x = uniform(-1, 1, 2);
        assertThatThrownBy(() -> GradientCheck.check(in -> Ops.add(in.get(0), in.get(1)), List.of(x, x)))
                .hasMessageContaining("input 1 is input 0 again");
        assertThatThrownBy(() -> GradientCheck.check(in -> Ops.log(in.get(0)), List.of(Tensor.of(new float[] {0f, 1f}, 2))))
                .hasMessageContaining("non-finite");
        assertThatThrownBy(() -> GradientCheck.check(in -> ActivationOps.tanh(in.get(0)), ref -> new double[3], List.of(x)))
                .hasMessageContaining("the reference gives 3 values, f gives 2");
        GradientCheck.Result unused = GradientCheck.check(in -> ActivationOps.tanh(in.get(0)), List.of(x, uniform(-1, 1, 2)));
        assertThat(unused.passed()).isFalse();
        assertThat(unused.worst()).contains("no gradient for input 1");
    }
}
