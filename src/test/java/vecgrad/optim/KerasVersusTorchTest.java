package vecgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * Every optimizer but Nadam, three steps on two variables, against torch.optim in float64: the values in
 * test-data/optim/torch_reference.txt, written by torch_reference.py beside it (which says how each
 * torch setting maps to Keras': epsilon 1e-12 on both sides, where the two libraries place it
 * differently). Nadam is not here: the script's torch (1.13) computes NAdam's
 * {@code mu_product_next} with mu(t) twice, unlike Keras and later torch. A second reference, independent of the Keras formulas
 * written in {@link KerasFormulaTest}.
 *
 * <p>Tolerance: 8 float ulps of the largest weight of the variable, as in KerasFormulaTest.
 */
final class KerasVersusTorchTest {

    private static final Path FILE = Path.of("test-data", "optim", "torch_reference.txt");
    private static final double EPS = 1e-12;

    static Stream<Arguments> cases() {
        Map<String, Supplier<Optimizer>> c = new java.util.LinkedHashMap<>();
        c.put("sgd", () -> new SGD(0.1f));
        c.put("sgd_momentum", () -> SGD.builder().learningRate(0.05).momentum(0.9).build());
        c.put("sgd_nesterov", () -> SGD.builder().learningRate(0.05).momentum(0.9).nesterov(true).build());
        c.put("adam", () -> Adam.builder().learningRate(0.01).epsilon(EPS).build());
        c.put("adam_amsgrad", () -> Adam.builder().learningRate(0.01).epsilon(EPS).amsgrad(true).build());
        c.put("adamw", () -> AdamW.builder().learningRate(0.01).epsilon(EPS).weightDecay(0.1).build());
        c.put("rmsprop", () -> RMSprop.builder().learningRate(0.01).rho(0.8).epsilon(EPS).build());
        c.put("rmsprop_centered_momentum", () -> RMSprop.builder().learningRate(0.01).rho(0.8).epsilon(EPS)
                .momentum(0.5).centered(true).build());
        c.put("adagrad", () -> Adagrad.builder().learningRate(0.1).epsilon(EPS).initialAccumulatorValue(0.5).build());
        c.put("adamax", () -> Adamax.builder().learningRate(0.01).beta2(0.99).epsilon(EPS).build());
        return c.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    private static Map<String, double[]> reference() throws IOException {
        Map<String, double[]> rows = new HashMap<>();
        for (String line : Files.readAllLines(FILE, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split(" ");
            int values = f[0].equals("init") ? 2 : 3;
            String key = String.join(" ", java.util.Arrays.copyOf(f, values));
            double[] v = new double[f.length - values];
            for (int i = 0; i < v.length; i++) {
                v[i] = Double.parseDouble(f[values + i]);
            }
            rows.put(key, v);
        }
        return rows;
    }

    private static float[] floats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
            assertThat((double) f[i]).as("the file's inputs are float32 values").isEqualTo(x[i]);
        }
        return f;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void threeStepsOnTwoVariables_matchTorchInFloat64(String name, Supplier<Optimizer> make) throws IOException {
        Map<String, double[]> ref = reference();
        int[][] shapes = {{2, 3}, {3}};
        List<Variable> vars = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            vars.add(Variable.of("v" + k, Tensor.of(floats(ref.get("init " + k)), shapes[k])));
        }
        Optimizer opt = make.get();
        for (int t = 1; t <= 3; t++) {
            List<Tensor> grads = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                grads.add(Tensor.of(floats(ref.get("grad " + t + " " + k)), shapes[k]));
            }
            opt.applyGradients(grads, vars);
            for (int k = 0; k < 2; k++) {
                double[] expected = ref.get(name + " " + t + " " + k);
                assertThat(expected).as("%s step %d variable %d in %s", name, t, k, FILE).isNotNull();
                double scale = 0;
                for (double e : expected) {
                    scale = Math.max(scale, Math.abs(e));
                }
                float[] actual = vars.get(k).data();
                for (int i = 0; i < expected.length; i++) {
                    assertThat((double) actual[i]).as("%s step %d v%d[%d]", name, t, k, i)
                            .isCloseTo(expected[i], within(8.0 * Math.ulp((float) scale)));
                }
            }
        }
    }
}
