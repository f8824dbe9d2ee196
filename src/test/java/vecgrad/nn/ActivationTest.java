package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import vecgrad.optim.SGD;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * {@link Activation}: every Keras name maps to the right function (values against Keras' formula in
 * double; the gradients are checked in {@code vecgrad.autodiff.ActivationOpsTest}), the parameterized
 * ones save and read back through {@code config}/{@code fromConfig}, bad names and parameters are
 * refused, and a {@link Dense} layer with each activation trains a step inside a {@link Sequential}.
 */
final class ActivationTest {

    /** Every built-in name, in Keras 3's spelling. */
    private static final List<String> NAMES = List.of("relu", "sigmoid", "tanh", "softmax", "linear", "leaky_relu", "elu",
            "selu", "gelu", "hard_sigmoid", "softplus", "softsign", "swish", "silu", "relu6", "log_softmax");

    /** Keras' elementwise formulas (keras/src/activations/activations.py), in double, with its defaults. */
    private static final Map<String, DoubleUnaryOperator> KERAS = new LinkedHashMap<>();

    static {
        double seluAlpha = 1.6732632423543772848170429916717;
        double seluScale = 1.0507009873554804934193349852946;
        KERAS.put("relu", x -> Math.max(x, 0));
        KERAS.put("sigmoid", x -> 1 / (1 + Math.exp(-x)));
        KERAS.put("tanh", Math::tanh);
        KERAS.put("linear", x -> x);
        KERAS.put("leaky_relu", x -> x >= 0 ? x : 0.2 * x);
        KERAS.put("elu", x -> x > 0 ? x : Math.exp(x) - 1);
        KERAS.put("selu", x -> seluScale * (x > 0 ? x : seluAlpha * (Math.exp(x) - 1)));
        // erf(x/√2) for |x| <= 4 by the Taylor series A&S 7.1.5 (alternating, converged in double there)
        KERAS.put("gelu", x -> 0.5 * x * (1 + taylorErf(x / Math.sqrt(2))));
        KERAS.put("hard_sigmoid", x -> Math.min(Math.max(x + 3, 0), 6) / 6);
        KERAS.put("softplus", x -> Math.log(Math.exp(x) + 1));
        KERAS.put("softsign", x -> x / (Math.abs(x) + 1));
        KERAS.put("swish", x -> x / (1 + Math.exp(-x)));
        KERAS.put("silu", x -> x / (1 + Math.exp(-x)));
        KERAS.put("relu6", x -> Math.min(Math.max(x, 0), 6));
    }

    private static double taylorErf(double z) {
        double term = z;
        double sum = z;
        for (int n = 1; n < 200; n++) {
            term *= -z * z / n;
            sum += term / (2 * n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    // ---------------------------------------------------------------- names and values

    @Test
    void of_knowsEveryKerasName() {
        for (String name : NAMES) {
            Activation a = Activation.of(name);
            assertThat(a.kerasName()).isEqualTo(name);
            assertThat(a.toString()).isEqualTo(name);
            assertThat(Activation.fromConfig(name, a.config())).isSameAs(a);
        }
        assertThat(List.of(Activation.LEAKY_RELU, Activation.ELU, Activation.SELU, Activation.GELU, Activation.HARD_SIGMOID,
                Activation.SOFTPLUS, Activation.SOFTSIGN, Activation.SWISH, Activation.SILU, Activation.RELU6,
                Activation.LOG_SOFTMAX)).extracting(Activation::kerasName)
                .containsExactly("leaky_relu", "elu", "selu", "gelu", "hard_sigmoid", "softplus", "softsign", "swish", "silu",
                        "relu6", "log_softmax");
    }

    @Test
    void apply_matchesKerasFormulaForEveryElementwiseName() {
        // wiring: each name applies its own function (a swapped entry, e.g. softplus -> softsign, fails here)
        Tensor z = Tensor.randomUniform(new Random(5), -4, 4, 3, 7);
        for (Map.Entry<String, DoubleUnaryOperator> e : KERAS.entrySet()) {
            float[] y = Activation.of(e.getKey()).apply(z).data();
            for (int i = 0; i < y.length; i++) {
                double expected = e.getValue().applyAsDouble(z.data()[i]);
                assertThat((double) y[i]).as("%s(%s)", e.getKey(), z.data()[i])
                        .isCloseTo(expected, org.assertj.core.data.Offset.offset(2e-7 * Math.max(1, Math.abs(expected))));
            }
        }
    }

    @Test
    void apply_rowWiseSoftmaxAndLogSoftmax() {
        Tensor z = Tensor.of(new float[] {1, 2, 3, -1, 0, 1}, 2, 3);
        float[] p = Activation.SOFTMAX.apply(z).data();
        float[] lp = Activation.LOG_SOFTMAX.apply(z).data();
        for (int i = 0; i < p.length; i++) {
            assertThat((double) lp[i]).isCloseTo(Math.log(p[i]), org.assertj.core.data.Offset.offset(1e-6));
        }
        double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        assertThat((double) lp[0]).isCloseTo(1 - lse, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void factories_giveTheParameterizedForms() {
        Tensor z = Tensor.of(new float[] {-2, -0.5f, 0.5f, 2}, 4);
        assertThat(Activation.leakyRelu(0.1).apply(z).data()).containsExactly(-0.2f, -0.05f, 0.5f, 2f);
        assertThat(Activation.elu(0.5).apply(z).data()[0]).isEqualTo((float) (0.5 * Math.expm1(-2)));
        double t = Math.tanh(Math.sqrt(2 / Math.PI) * (2 + 0.044715 * 8));
        assertThat(Activation.gelu(true).apply(z).data()[3]).isEqualTo((float) (0.5 * 2 * (1 + t)));
        // the default parameters are the constants themselves
        assertThat(Activation.leakyRelu(0.2)).isSameAs(Activation.LEAKY_RELU);
        assertThat(Activation.elu(1.0)).isSameAs(Activation.ELU);
        assertThat(Activation.gelu(false)).isSameAs(Activation.GELU);
        assertThat(Activation.leakyRelu(0.1)).isEqualTo(Activation.leakyRelu(0.1)).isNotEqualTo(Activation.leakyRelu(0.3));
        assertThat(Activation.leakyRelu(0.1).kerasName()).isEqualTo("leaky_relu");
        assertThat(Activation.leakyRelu(0.1)).hasToString("leaky_relu(negative_slope=0.1)");
    }

    // ---------------------------------------------------------------- config

    @Test
    void config_roundTripsEveryParameter() {
        assertThat(Activation.LEAKY_RELU.config()).isEqualTo(Map.of("negative_slope", 0.2));
        assertThat(Activation.ELU.config()).isEqualTo(Map.of("alpha", 1.0));
        assertThat(Activation.GELU.config()).isEqualTo(Map.of("approximate", false));
        assertThat(Activation.SELU.config()).isEmpty();
        assertThat(Activation.of("x2", z -> z).config()).isEmpty();
        for (Activation a : List.of(Activation.leakyRelu(0.01), Activation.elu(0.3), Activation.gelu(true), Activation.leakyRelu(-1))) {
            Activation back = Activation.fromConfig(a.kerasName(), a.config());
            assertThat(back).isEqualTo(a);
            Tensor z = Tensor.of(new float[] {-3, -1, 0.5f, 2}, 4);
            assertThat(back.apply(z).data()).containsExactly(a.apply(z).data());
        }
        // JSON readers give integers for whole numbers and leave keys out: both are accepted
        assertThat(Activation.fromConfig("elu", Map.of("alpha", 2)).config()).isEqualTo(Map.of("alpha", 2.0));
        assertThat(Activation.fromConfig("leaky_relu", Map.of())).isSameAs(Activation.LEAKY_RELU);
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void of_unknownName_listsTheKnownNames() {
        assertThatThrownBy(() -> Activation.of("gelu_new"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown activation 'gelu_new': expected one of " + String.join(", ", NAMES));
        assertThatThrownBy(() -> Activation.fromConfig("Relu", Map.of())).hasMessageContaining("unknown activation 'Relu'");
        assertThatThrownBy(() -> Activation.of(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void factories_rejectNonFiniteParameters() {
        assertThatThrownBy(() -> Activation.leakyRelu(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Activation.leakyRelu: expected a finite negative_slope, got NaN");
        assertThatThrownBy(() -> Activation.elu(Double.NEGATIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Activation.elu: expected a finite alpha, got -Infinity");
    }

    @Test
    void fromConfig_rejectsUnknownKeysAndWrongTypes() {
        assertThatThrownBy(() -> Activation.fromConfig("leaky_relu", Map.of("alpha", 0.1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("activation 'leaky_relu': unknown config key 'alpha': expected only negative_slope");
        assertThatThrownBy(() -> Activation.fromConfig("relu", Map.of("alpha", 0.1)))
                .hasMessage("activation 'relu': unknown config key 'alpha': expected no keys");
        assertThatThrownBy(() -> Activation.fromConfig("elu", Map.of("alpha", "1.0")))
                .hasMessage("activation 'elu': expected a number for 'alpha', got String 1.0");
        assertThatThrownBy(() -> Activation.fromConfig("gelu", Map.of("approximate", "tanh")))
                .hasMessage("activation 'gelu': expected a boolean for 'approximate', got String tanh");
        assertThatThrownBy(() -> Activation.fromConfig("leaky_relu", Map.of("negative_slope", Double.NaN)))
                .hasMessageContaining("expected a finite negative_slope, got NaN");
        assertThatThrownBy(() -> Activation.fromConfig("elu", null)).isInstanceOf(NullPointerException.class);
    }

    // ---------------------------------------------------------------- in a model

    @Test
    void dense_withEveryActivation_trainsAStep() {
        Random rng = new Random(11);
        Tensor x = Tensor.randomNormal(rng, 0, 1, 8, 5);
        Tensor y = Tensor.randomUniform(rng, 0, 1, 8, 3);
        List<Activation> all = new java.util.ArrayList<>();
        for (String name : NAMES) {
            all.add(Activation.of(name));
        }
        all.addAll(List.of(Activation.leakyRelu(0.01), Activation.elu(0.5), Activation.gelu(true)));
        for (Activation a : all) {
            Sequential model = new Sequential(5, 3L, new Dense(4, a), new Dense(3, a));
            model.compile(new SGD(0.1f), Loss.meanSquaredError());
            List<Tensor> before = model.variables().stream().map(Variable::copy).toList();
            model.fit(x, y, FitOptions.defaults().epochs(1).batchSize(8).verbose(0));
            List<Variable> after = model.variables();
            boolean changed = false;
            for (int i = 0; i < after.size(); i++) {
                for (float v : after.get(i).data()) {
                    assertThat(Float.isFinite(v)).as("%s: finite weights", a).isTrue();
                }
                changed |= !after.get(i).contentEquals(before.get(i));
            }
            assertThat(changed).as("%s: a step changes the weights", a).isTrue();
        }
    }
}
