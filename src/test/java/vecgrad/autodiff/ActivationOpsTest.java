package vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;

/**
 * The activation ops, each checked twice: its gradient against finite differences in double
 * ({@link GradientChecker}) on a 7×13 input spread over the interesting regions (near 0, moderate,
 * large |x|, both signs, a margin away from any kink), and its values element by element against
 * Keras' formula computed in double. For each family of rules, a deliberately wrong derivative is
 * shown to fail the checker.
 *
 * <p>The references are Keras 3's formulas, {@code keras/src/activations/activations.py} and the
 * backend ops it calls ({@code keras/src/backend/*}{@code /nn.py}, which delegate to
 * {@code tf.nn}/{@code jax.nn}): leaky_relu {@code x >= 0 ? x : negative_slope·x}, elu
 * {@code x > 0 ? x : alpha·(exp(x) − 1)}, selu {@code scale·elu(x, alpha)}, gelu
 * {@code 0.5·x·(1 + erf(x/√2))} or {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))},
 * hard_sigmoid {@code relu6(x + 3)/6}, softplus {@code log(exp(x) + 1)}, softsign
 * {@code x/(|x| + 1)}, silu {@code x·sigmoid(x)}, relu6 {@code min(max(x, 0), 6)}, log_softmax
 * {@code x − log Σ exp(x)} on the last axis.
 */
final class ActivationOpsTest {

    private static final int ROWS = 7;
    private static final int COLS = 13;
    /** Distance kept from a kink, far larger than the finite-difference step (1e-6·|x|). */
    private static final float KINK_MARGIN = 0.05f;

    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;   // tf.nn.selu / jax.nn.selu
    private static final double SELU_SCALE = 1.0507009873554804934193349852946;

    private final GradientChecker checker = new GradientChecker(20261204L);
    private final Random rng = new Random(42);

    // ---------------------------------------------------------------- Keras' formulas in double

    private static double leakyRelu(double x, double slope) {
        return x >= 0 ? x : slope * x;
    }

    private static double elu(double x, double alpha) {
        return x > 0 ? x : alpha * (Math.exp(x) - 1);
    }

    private static double selu(double x) {
        return SELU_SCALE * elu(x, SELU_ALPHA);
    }

    private static double geluExact(double x) {
        return 0.5 * x * (1 + quadratureErf(x / Math.sqrt(2)));
    }

    private static double geluTanh(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * Math.pow(x, 3))));
    }

    private static double relu6(double x) {
        return Math.min(Math.max(x, 0), 6);
    }

    private static double hardSigmoid(double x) {
        return relu6(x + 3) / 6;
    }

    private static double softplus(double x) {
        return Math.log1p(Math.exp(x));   // log(exp(x) + 1), without losing the small tail in double
    }

    private static double softsign(double x) {
        return x / (Math.abs(x) + 1);
    }

    private static double silu(double x) {
        return x / (1 + Math.exp(-x));
    }

    private static double[] logSoftmaxRows(double[] x, int m, int n) {
        double[] y = new double[x.length];
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += Math.exp(x[i * n + j]);
            }
            for (int j = 0; j < n; j++) {
                y[i * n + j] = x[i * n + j] - Math.log(s);
            }
        }
        return y;
    }

    /**
     * erf by composite Simpson quadrature of {@code 2/√π · e^(−t²)} over {@code [0, z]} (4000
     * intervals, error below 1e-13), an independent check of {@link ActivationOps#erf}'s series and
     * continued fraction; {@code ±1} beyond |z| = 6, where erfc(6) = 2e-17 is below double's ulp of 1.
     */
    static double quadratureErf(double z) {
        double a = Math.min(Math.abs(z), 6);
        int n = 4000;
        double h = a / n;
        double s = 1 + Math.exp(-a * a);
        for (int k = 1; k < n; k++) {
            double t = k * h;
            s += (k % 2 == 1 ? 4 : 2) * Math.exp(-t * t);
        }
        double r = s * h / 3 * 2 / Math.sqrt(Math.PI);
        return z < 0 ? -r : r;
    }

    // ---------------------------------------------------------------- inputs

    /**
     * A 7×13 input: a third near 0 (|x| in [0.001, 0.1]), a third moderate ([0.1, 5]), a third large
     * ([5, 30]), random signs; values within {@link #KINK_MARGIN} of a kink are pushed off it.
     */
    private Tensor spread(double... kinks) {
        float[] d = new float[ROWS * COLS];
        for (int i = 0; i < d.length; i++) {
            double lo;
            double hi;
            switch (i % 3) {
                case 0 -> { lo = 0.001; hi = 0.1; }
                case 1 -> { lo = 0.1; hi = 5; }
                default -> { lo = 5; hi = 30; }
            }
            double v = lo + (hi - lo) * rng.nextDouble();
            v = rng.nextBoolean() ? v : -v;
            for (double k : kinks) {
                if (Math.abs(v - k) < KINK_MARGIN) {
                    v = k + (v >= k ? KINK_MARGIN : -KINK_MARGIN);
                }
            }
            d[i] = (float) v;
        }
        return Tensor.of(d, ROWS, COLS);
    }

    /** Moderate values only, [-5, 5] (log-softmax rows whose every element matters). */
    private Tensor moderate() {
        return checker.uniform(-5, 5, ROWS, COLS);
    }

    // ---------------------------------------------------------------- (1) finite differences

    private void checkElementwise(String what, UnaryOperator<Tensor> op, DoubleUnaryOperator keras, Tensor x) {
        checker.check(what + " " + x.shapeString(), in -> op.apply(in[0]), r -> Ref.map(r[0], keras), x);
    }

    @Test
    void leakyRelu_matchesFiniteDifferences() {
        checkElementwise("leakyRelu 0.2", x -> ActivationOps.leakyRelu(x, 0.2), v -> leakyRelu(v, 0.2), spread(0));
        checkElementwise("leakyRelu 0.01", x -> ActivationOps.leakyRelu(x, 0.01), v -> leakyRelu(v, 0.01), spread(0));
        checkElementwise("leakyRelu -0.5", x -> ActivationOps.leakyRelu(x, -0.5), v -> leakyRelu(v, -0.5), spread(0));
    }

    @Test
    void elu_matchesFiniteDifferences() {
        checkElementwise("elu 1", x -> ActivationOps.elu(x, 1), v -> elu(v, 1), spread(0));
        checkElementwise("elu 0.3", x -> ActivationOps.elu(x, 0.3), v -> elu(v, 0.3), spread(0));
    }

    @Test
    void selu_matchesFiniteDifferences() {
        checkElementwise("selu", ActivationOps::selu, ActivationOpsTest::selu, spread(0));
    }

    @Test
    void gelu_matchesFiniteDifferences() {
        checkElementwise("gelu exact", x -> ActivationOps.gelu(x, false), ActivationOpsTest::geluExact, spread());
        checkElementwise("gelu tanh", x -> ActivationOps.gelu(x, true), ActivationOpsTest::geluTanh, spread());
    }

    @Test
    void hardSigmoid_matchesFiniteDifferences() {
        checkElementwise("hardSigmoid", ActivationOps::hardSigmoid, ActivationOpsTest::hardSigmoid, spread(-3, 3));
    }

    @Test
    void softplus_matchesFiniteDifferences() {
        checkElementwise("softplus", ActivationOps::softplus, ActivationOpsTest::softplus, spread());
    }

    @Test
    void softsign_matchesFiniteDifferences() {
        checkElementwise("softsign", ActivationOps::softsign, ActivationOpsTest::softsign, spread());
    }

    @Test
    void swish_matchesFiniteDifferences() {
        checkElementwise("swish", ActivationOps::swish, ActivationOpsTest::silu, spread());
    }

    @Test
    void relu6_matchesFiniteDifferences() {
        checkElementwise("relu6", ActivationOps::relu6, ActivationOpsTest::relu6, spread(0, 6));
    }

    @Test
    void logSoftmax_matchesFiniteDifferences() {
        checker.check("logSoftmax 7×13", in -> ActivationOps.logSoftmax(in[0]), r -> logSoftmaxRows(r[0], ROWS, COLS), moderate());
    }

    @Test
    void ops_acceptAnyRank() {
        // elementwise: a rank-3 and a rank-1 input check like a matrix
        checker.check("gelu (2,3,5)", in -> ActivationOps.gelu(in[0], false), r -> Ref.map(r[0], ActivationOpsTest::geluExact),
                checker.uniform(-3, 3, 2, 3, 5));
        checker.check("swish (11)", in -> ActivationOps.swish(in[0]), r -> Ref.map(r[0], ActivationOpsTest::silu),
                checker.uniform(-3, 3, 11));
    }

    // ---------------------------------------------------------------- (2) values, element by element

    /** Each float output within 1 ulp of Keras' formula in double (the ops round a double result once). */
    private void assertValues(String what, UnaryOperator<Tensor> op, DoubleUnaryOperator keras, Tensor x) {
        float[] y = op.apply(x).data();
        float[] xd = x.data();
        for (int i = 0; i < y.length; i++) {
            double expected = keras.applyAsDouble(xd[i]);
            double tolerance = Math.ulp((float) expected) + Float.MIN_VALUE;
            assertThat(Math.abs(y[i] - expected)).as("%s(%s): %s, Keras formula %s", what, xd[i], y[i], expected)
                    .isLessThanOrEqualTo(tolerance);
        }
    }

    @Test
    void values_matchKerasFormulas() {
        Tensor x = spread();
        assertValues("leaky_relu", t -> ActivationOps.leakyRelu(t, 0.2), v -> leakyRelu(v, 0.2), x);
        assertValues("elu", t -> ActivationOps.elu(t, 1), v -> elu(v, 1), x);
        assertValues("selu", ActivationOps::selu, ActivationOpsTest::selu, x);
        assertValues("gelu approximate", t -> ActivationOps.gelu(t, true), ActivationOpsTest::geluTanh, x);
        assertValues("hard_sigmoid", ActivationOps::hardSigmoid, ActivationOpsTest::hardSigmoid, x);
        assertValues("softplus", ActivationOps::softplus, ActivationOpsTest::softplus, x);
        assertValues("softsign", ActivationOps::softsign, ActivationOpsTest::softsign, x);
        assertValues("silu", ActivationOps::swish, ActivationOpsTest::silu, x);
        assertValues("relu6", ActivationOps::relu6, ActivationOpsTest::relu6, x);
        // exact gelu where the quadrature reference keeps full relative accuracy (Φ(x) >= 3e-5)
        assertValues("gelu", t -> ActivationOps.gelu(t, false), ActivationOpsTest::geluExact, checker.uniform(-4, 4, ROWS, COLS));
    }

    @Test
    void logSoftmax_valuesMatchKerasFormula() {
        Tensor x = moderate();
        float[] y = ActivationOps.logSoftmax(x).data();
        double[] expected = logSoftmaxRows(GradientChecker.toDouble(new Tensor[] {x})[0], ROWS, COLS);
        for (int i = 0; i < y.length; i++) {
            assertThat((double) y[i]).as("log_softmax at %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(
                    2.0 * Math.ulp((float) expected[i])));
        }
    }

    @Test
    void values_atKnownPoints() {
        // Φ(−10) = 7.6198530241605260e-24 (tables of the normal distribution): the tail keeps its digits
        float[] y = ActivationOps.gelu(Tensor.of(new float[] {-10f, 0f, 1f}, 3), false).data();
        assertThat((double) y[0]).isCloseTo(-7.6198530241605260e-23, org.assertj.core.data.Percentage.withPercentage(1e-5));
        assertThat(y[1]).isZero();
        assertThat((double) y[2]).isCloseTo(0.8413447460685429, org.assertj.core.data.Offset.offset(1e-7));   // Φ(1)
        assertThat(ActivationOps.hardSigmoid(Tensor.of(new float[] {-3f, 0f, 3f}, 3)).data()).containsExactly(0f, 0.5f, 1f);
        assertThat(ActivationOps.relu6(Tensor.of(new float[] {-1f, 3f, 7f}, 3)).data()).containsExactly(0f, 3f, 6f);
    }

    @Test
    void ops_stayFiniteAtExtremes() {
        Tensor x = Tensor.of(new float[] {-1e30f, -1e4f, -100f, 100f, 1e4f, 1e30f}, 6);
        assertThat(ActivationOps.softplus(x).data()).containsExactly(0f, 0f, 3.7200760e-44f, 100f, 1e4f, 1e30f);
        assertThat(ActivationOps.swish(x).data()).containsExactly(-0f, -0f, -3.7200760e-42f, 100f, 1e4f, 1e30f);
        assertThat(ActivationOps.elu(x, 1).data()).containsExactly(-1f, -1f, -1f, 100f, 1e4f, 1e30f);
        assertThat(ActivationOps.gelu(x, false).data()).containsExactly(-0f, -0f, -0f, 100f, 1e4f, 1e30f);
        for (UnaryOperator<Tensor> op : java.util.List.<UnaryOperator<Tensor>>of(ActivationOps::selu, ActivationOps::softsign,
                t -> ActivationOps.gelu(t, true), ActivationOps::hardSigmoid, ActivationOps::relu6)) {
            for (float v : op.apply(x).data()) {
                assertThat(Float.isFinite(v)).isTrue();
            }
        }
        // and so are their gradients
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor y = Ops.sum(Ops.add(Ops.add(ActivationOps.softplus(x), ActivationOps.swish(x)),
                    Ops.add(ActivationOps.gelu(x, false), ActivationOps.elu(x, 1))));
            for (float v : tape.gradient(y, x).data()) {
                assertThat(Float.isFinite(v)).isTrue();
            }
        }
    }

    // ---------------------------------------------------------------- erf

    @Test
    void erf_matchesKnownValues() {
        // erf from A&S Table 7.1 and standard tables, 16 digits
        double[][] known = {
            {0.1, 0.1124629160182849}, {0.5, 0.5204998778130465}, {1, 0.8427007929497149},
            {1.5, 0.9661051464753108}, {2, 0.9953222650189527}, {2.5, 0.9995930479825550},
        };
        for (double[] k : known) {
            assertThat(ActivationOps.erf(k[0])).as("erf(%s)", k[0]).isCloseTo(k[1], org.assertj.core.data.Offset.offset(1e-7 * k[1]));
            assertThat(ActivationOps.erf(-k[0])).as("erf(-%s)", k[0]).isCloseTo(-k[1], org.assertj.core.data.Offset.offset(1e-7 * k[1]));
        }
        double[][] tails = {{1, 0.15729920705028513}, {2, 0.004677734981047266}, {3, 2.209049699858544e-05},
            {4, 1.541725790028002e-08}, {5, 1.537459794428035e-12}, {10, 2.088487583762545e-45}};
        for (double[] k : tails) {
            assertThat(ActivationOps.erfc(k[0])).as("erfc(%s)", k[0]).isCloseTo(k[1], org.assertj.core.data.Offset.offset(1e-7 * k[1]));
            assertThat(ActivationOps.erfc(-k[0])).as("erfc(-%s)", k[0]).isCloseTo(2 - k[1], org.assertj.core.data.Offset.offset(1e-15));
        }
        assertThat(ActivationOps.erf(0)).isZero();
        assertThat(ActivationOps.erf(30)).isEqualTo(1);
        assertThat(ActivationOps.erfc(30)).isZero();
        assertThat(ActivationOps.erf(Double.NaN)).isNaN();
    }

    @Test
    void erf_matchesQuadratureOnBothSidesOfTheSwitch() {
        // the series serves |z| < 3, the continued fraction |z| >= 3: both must agree with the integral
        for (double z = -6; z <= 6; z += 0.0625) {
            assertThat(ActivationOps.erf(z)).as("erf(%s)", z).isCloseTo(quadratureErf(z), org.assertj.core.data.Offset.offset(1e-12));
        }
        for (double z : new double[] {2.999999, 3, 3.000001}) {
            double e = 1 - quadratureErf(z);
            assertThat(ActivationOps.erfc(z)).as("erfc(%s)", z).isCloseTo(e, org.assertj.core.data.Offset.offset(1e-9 * e));
        }
    }

    // ---------------------------------------------------------------- (3) the checker fails wrong rules

    /** The real forward with a rule {@code dx = g ⊙ d(x)} given by the test. */
    private static Tensor withRule(String name, UnaryOperator<Tensor> forward, DoubleUnaryOperator derivative, Tensor x) {
        return Ops.custom(name, in -> forward.apply(in[0]), (g, y, in) -> {
            float[] gd = g.data();
            float[] xd = in[0].data();
            float[] d = new float[xd.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (gd[i] * derivative.applyAsDouble(xd[i]));
            }
            return new Tensor[] {Tensor.of(d, in[0].shape())};
        }, x);
    }

    private void assertRuleFails(String what, UnaryOperator<Tensor> forward, DoubleUnaryOperator wrongDerivative,
                                 DoubleUnaryOperator keras, Tensor x) {
        assertThatThrownBy(() -> checker.check(what, in -> withRule("wrong", forward, wrongDerivative, in[0]),
                r -> Ref.map(r[0], keras), x))
                .isInstanceOf(AssertionError.class).hasMessageContaining("gradient of input 0");
    }

    @Test
    void check_rightRuleThroughTheSameHarness_passes() {
        // the harness itself is sound: the correct swish rule passes it
        assertThatCode(() -> checker.check("swish, right rule", in -> withRule("right", ActivationOps::swish, v -> {
            double s = 1 / (1 + Math.exp(-v));
            return s * (1 + v * (1 - s));
        }, in[0]), r -> Ref.map(r[0], ActivationOpsTest::silu), spread())).doesNotThrowAnyException();
    }

    @Test
    void check_piecewiseLinearRuleIgnoringTheSlope_fails() {
        // leaky_relu differentiated as relu: the negative side's slope forgotten
        assertRuleFails("leaky_relu as relu", x -> ActivationOps.leakyRelu(x, 0.2), v -> v > 0 ? 1 : 0,
                v -> leakyRelu(v, 0.2), spread(0));
        // relu6 differentiated without its upper bound
        assertRuleFails("relu6 without the cap", ActivationOps::relu6, v -> v > 0 ? 1 : 0,
                ActivationOpsTest::relu6, spread(0, 6));
        // hard_sigmoid with Keras 2's slope 0.2 instead of Keras 3's 1/6
        assertRuleFails("hard_sigmoid with 0.2", ActivationOps::hardSigmoid, v -> v > -3 && v < 3 ? 0.2 : 0,
                ActivationOpsTest::hardSigmoid, spread(-3, 3));
    }

    @Test
    void check_exponentialRuleMissingAFactor_fails() {
        // selu's negative side without the scale
        assertRuleFails("selu missing scale", ActivationOps::selu, v -> v > 0 ? SELU_SCALE : SELU_ALPHA * Math.exp(v),
                ActivationOpsTest::selu, spread(0));
        // elu's negative side without alpha
        assertRuleFails("elu missing alpha", x -> ActivationOps.elu(x, 0.3), v -> v > 0 ? 1 : Math.exp(v),
                v -> elu(v, 0.3), spread(0));
    }

    @Test
    void check_geluRuleMissingATerm_fails() {
        // exact: Φ(x) alone, without x·φ(x)
        assertRuleFails("gelu missing x·φ(x)", x -> ActivationOps.gelu(x, false), ActivationOps::normalCdf,
                ActivationOpsTest::geluExact, spread());
        // tanh form: without the (1 − t²) chain factor's polynomial 3·0.044715·x²
        assertRuleFails("gelu tanh missing the cubic's derivative", x -> ActivationOps.gelu(x, true), v -> {
            double t = Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v));
            return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * Math.sqrt(2 / Math.PI);
        }, ActivationOpsTest::geluTanh, spread());
    }

    @Test
    void check_sigmoidBasedRuleMissingATerm_fails() {
        // swish: sigmoid alone, without x·s·(1 − s)
        assertRuleFails("swish missing x·s·(1−s)", ActivationOps::swish, v -> 1 / (1 + Math.exp(-v)),
                ActivationOpsTest::silu, spread());
        // softplus: sigmoid(−x) instead of sigmoid(x)
        assertRuleFails("softplus with sigmoid(-x)", ActivationOps::softplus, v -> 1 / (1 + Math.exp(v)),
                ActivationOpsTest::softplus, spread());
        // softsign: 1/(1+|x|) not squared
        assertRuleFails("softsign not squared", ActivationOps::softsign, v -> 1 / (1 + Math.abs(v)),
                ActivationOpsTest::softsign, spread());
    }

    @Test
    void check_logSoftmaxRuleMissingTheSoftmaxTerm_fails() {
        assertThatThrownBy(() -> checker.check("log_softmax with dx = g",
                in -> Ops.custom("wrong", t -> ActivationOps.logSoftmax(t[0]), (g, y, t) -> new Tensor[] {g}, in[0]),
                r -> logSoftmaxRows(r[0], ROWS, COLS), moderate()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("gradient of input 0");
    }

    // ---------------------------------------------------------------- (4) bad input

    @Test
    void ops_rejectBadInput() {
        Tensor x = Tensor.zeros(2, 3);
        assertThatThrownBy(() -> ActivationOps.leakyRelu(x, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("leakyRelu: expected a finite negativeSlope, got NaN");
        assertThatThrownBy(() -> ActivationOps.elu(x, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("elu: expected a finite alpha, got Infinity");
        assertThatThrownBy(() -> ActivationOps.gelu(null, false))
                .isInstanceOf(NullPointerException.class).hasMessage("gelu: expected a tensor for 'x', got null");
        assertThatThrownBy(() -> ActivationOps.swish(null)).hasMessage("swish: expected a tensor for 'x', got null");
    }
}
