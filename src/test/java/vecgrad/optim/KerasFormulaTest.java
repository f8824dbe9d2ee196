package vecgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * Every optimizer, three steps on two variables, against Keras 3's update_step re-implemented here in
 * double, element by element (keras/src/optimizers/*.py; the weight decay of base_optimizer.py).
 *
 * <p>Tolerance: 8 float ulps of the largest magnitude among the variable's values of the same kind (its
 * weights, or one slot), at each step, on the weights and on every slot. The float implementation
 * rounds a handful of times per element and step, and a sum of opposite terms (RMSprop's momentum)
 * keeps the error of its terms, not of its small result; a formula error (epsilon inside
 * instead of outside a root, a missing bias correction, a constant such as {@code 1 - beta2} computed in
 * float as 0.00099998713 instead of 0.001) moves a slot or a weight by far more than 8 ulps.
 */
final class KerasFormulaTest {

    /** One element's Keras update in double: {@code st[0]} the weight, {@code st[1..]} the slots. */
    interface Rule {
        void step(long t, double lr, double[] st, double g);
    }

    record Case(String label, Optimizer optimizer, String key, List<String> slots, double[] slotInit, double lr,
                Rule rule) {
        @Override
        public String toString() {
            return label;
        }
    }

    static double u(double beta1, long s) {
        return beta1 * (1 - 0.5 * Math.pow(0.96, s));
    }

    static Stream<Arguments> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("SGD", new SGD(0.1f), "sgd", List.of(), new double[0], 0.1,
                (t, lr, st, g) -> st[0] -= g * lr));
        for (boolean nesterov : new boolean[] {false, true}) {
            c.add(new Case("SGD momentum nesterov=" + nesterov,
                    SGD.builder().learningRate(0.05).momentum(0.9).nesterov(nesterov).build(), "sgd",
                    List.of("momentum"), new double[1], 0.05, (t, lr, st, g) -> {
                        st[1] = st[1] * 0.9 - g * lr;
                        st[0] += nesterov ? st[1] * 0.9 - g * lr : st[1];
                    }));
        }
        for (boolean amsgrad : new boolean[] {false, true}) {
            c.add(new Case("Adam amsgrad=" + amsgrad, Adam.builder().learningRate(0.01).amsgrad(amsgrad).build(), "adam",
                    amsgrad ? List.of("momentum", "velocity", "velocity_hat") : List.of("momentum", "velocity"),
                    new double[3], 0.01, adam(0.9, 0.999, 1e-7, amsgrad, 0)));
        }
        c.add(new Case("Adam float constructor", new Adam(0.01f, 0.9f, 0.999f, 1e-7f), "adam",
                List.of("momentum", "velocity"), new double[2], 0.01, adam(0.9, 0.999, 1e-7, false, 0)));
        c.add(new Case("AdamW", AdamW.builder().learningRate(0.01).weightDecay(0.1).build(), "adamw",
                List.of("momentum", "velocity"), new double[2], 0.01, adam(0.9, 0.999, 1e-7, false, 0.1)));
        c.add(new Case("AdamW defaults amsgrad", AdamW.builder().amsgrad(true).beta2(0.99).build(), "adamw",
                List.of("momentum", "velocity", "velocity_hat"), new double[3], 1e-3, adam(0.9, 0.99, 1e-7, true, 0.004)));
        for (int variant = 0; variant < 4; variant++) {
            boolean centered = (variant & 1) != 0;
            double momentum = (variant & 2) != 0 ? 0.5 : 0;
            List<String> slots = new ArrayList<>(List.of("velocity"));
            if (momentum > 0) {
                slots.add("momentum");
            }
            if (centered) {
                slots.add("average_gradient");
            }
            int p = slots.indexOf("momentum");
            int a = slots.indexOf("average_gradient");
            // epsilon 0.01: large enough that adding it outside the root (PyTorch) instead of inside shows
            c.add(new Case("RMSprop centered=" + centered + " momentum=" + momentum,
                    RMSprop.builder().learningRate(0.01).rho(0.8).momentum(momentum).centered(centered).epsilon(0.01)
                            .build(), "rmsprop", slots, new double[3], 0.01, (t, lr, st, g) -> {
                        st[1] = 0.8 * st[1] + (1 - 0.8) * g * g;
                        double d;
                        if (a >= 0) {
                            st[1 + a] = 0.8 * st[1 + a] + (1 - 0.8) * g;
                            d = st[1] - st[1 + a] * st[1 + a] + 0.01;
                        } else {
                            d = st[1] + 0.01;
                        }
                        double step = lr * g / Math.sqrt(d);
                        if (p >= 0) {
                            st[1 + p] = 0.5 * st[1 + p] + step;
                            step = st[1 + p];
                        }
                        st[0] -= step;
                    }));
        }
        c.add(new Case("RMSprop defaults", new RMSprop(), "rmsprop", List.of("velocity"), new double[1], 1e-3,
                (t, lr, st, g) -> {
                    st[1] = 0.9 * st[1] + (1 - 0.9) * g * g;
                    st[0] -= lr * g / Math.sqrt(st[1] + 1e-7);
                }));
        c.add(new Case("Adagrad", Adagrad.builder().learningRate(0.1).initialAccumulatorValue(0.5).epsilon(0.01).build(),
                "adagrad", List.of("accumulator"), new double[] {0.5}, 0.1, (t, lr, st, g) -> {
                    st[1] += g * g;
                    st[0] -= lr * g / Math.sqrt(st[1] + 0.01);
                }));
        c.add(new Case("Adagrad defaults", new Adagrad(), "adagrad", List.of("accumulator"), new double[] {0.1}, 1e-3,
                (t, lr, st, g) -> {
                    st[1] += g * g;
                    st[0] -= lr * g / Math.sqrt(st[1] + 1e-7);
                }));
        c.add(new Case("Nadam", Nadam.builder().learningRate(0.01).epsilon(1e-3).build(), "nadam",
                List.of("momentum", "velocity"), new double[2], 0.01, (t, lr, st, g) -> {
                    double uT = u(0.9, t);
                    double uNext = u(0.9, t + 1);
                    double product = 1;
                    for (long s = 1; s <= t; s++) {
                        product *= u(0.9, s);
                    }
                    st[1] += (g - st[1]) * (1 - 0.9);
                    st[2] += (g * g - st[2]) * (1 - 0.999);
                    double mHat = uNext * st[1] / (1 - product * uNext) + (1 - uT) * g / (1 - product);
                    double vHat = st[2] / (1 - Math.pow(0.999, t));
                    st[0] -= mHat * lr / (Math.sqrt(vHat) + 1e-3);
                }));
        c.add(new Case("Adamax", Adamax.builder().learningRate(0.01).beta2(0.99).epsilon(0.01).build(), "adamax",
                List.of("momentum", "norm"), new double[2], 0.01, (t, lr, st, g) -> {
                    st[1] += (g - st[1]) * (1 - 0.9);
                    st[2] = Math.max(0.99 * st[2], Math.abs(g));
                    st[0] -= lr * st[1] / ((1 - Math.pow(0.9, t)) * (st[2] + 0.01));
                }));
        return c.stream().map(Arguments::of);
    }

    /** Keras' Adam (and AdamW: with the base optimizer's weight decay first). */
    static Rule adam(double beta1, double beta2, double epsilon, boolean amsgrad, double weightDecay) {
        return (t, lr, st, g) -> {
            st[0] -= st[0] * weightDecay * lr;
            double alpha = lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
            st[1] += (g - st[1]) * (1 - beta1);
            st[2] += (g * g - st[2]) * (1 - beta2);
            double v = st[2];
            if (amsgrad) {
                st[3] = Math.max(st[3], st[2]);
                v = st[3];
            }
            st[0] -= st[1] * alpha / (Math.sqrt(v) + epsilon);
        };
    }

    /** The gradient of element {@code i} of variable {@code k} at step {@code t}: both signs, magnitudes 0.05 to 3. */
    static float gradient(int k, int i, long t) {
        double x = Math.sin(1.3 * t + 0.7 * i + 2.1 * k);
        return (float) (x * (0.05 + 3 * Math.abs(Math.cos(0.9 * i + t))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void threeStepsOnTwoVariables_matchKerasFormulaInDouble(Case c) {
        List<Variable> vars = List.of(
                Variable.of("dense/kernel", Tensor.of(new float[] {0.5f, -1.25f, 2f, 0.75f, -0.3f, 1.5f}, 2, 3)),
                Variable.of("dense/bias", Tensor.of(new float[] {0.2f, -0.6f, 1f}, 3)));
        int slotCount = c.slots().size();
        List<double[][]> ref = new ArrayList<>();
        for (Variable v : vars) {
            double[][] st = new double[v.size()][1 + slotCount];
            for (int i = 0; i < v.size(); i++) {
                st[i][0] = v.data()[i];
                for (int s = 0; s < slotCount; s++) {
                    st[i][1 + s] = c.slotInit()[s];
                }
            }
            ref.add(st);
        }
        for (long t = 1; t <= 3; t++) {
            List<Tensor> grads = new ArrayList<>();
            for (int k = 0; k < vars.size(); k++) {
                float[] g = new float[vars.get(k).size()];
                for (int i = 0; i < g.length; i++) {
                    g[i] = gradient(k, i, t);
                    c.rule().step(t, c.lr(), ref.get(k)[i], g[i]);
                }
                grads.add(Tensor.of(g, vars.get(k).shape()));
            }
            c.optimizer().applyGradients(grads, vars);
            Map<String, Tensor> state = c.optimizer().variables();
            assertThat(state.get(c.key() + "/iteration").item()).isEqualTo((float) t);
            for (int k = 0; k < vars.size(); k++) {
                Variable v = vars.get(k);
                double[][] st = ref.get(k);
                for (int s = 0; s <= slotCount; s++) {
                    double scale = 0;
                    for (double[] element : st) {
                        scale = Math.max(scale, Math.abs(element[s]));
                    }
                    String name = s == 0 ? v.name() : c.key() + "/" + c.slots().get(s - 1) + "_" + v.name().replace('/', '_');
                    assertThat(s == 0 || state.containsKey(name)).as(c + ": slot " + name).isTrue();
                    float[] actual = s == 0 ? v.data() : state.get(name).data();
                    for (int i = 0; i < v.size(); i++) {
                        assertClose(actual[i], st[i][s], scale, c + " step " + t + " " + name + "[" + i + "]");
                    }
                }
            }
            assertThat(state).as(c + ": iteration and slots only").hasSize(1 + slotCount * vars.size());
        }
    }

    static void assertClose(float actual, double expected, double scale, String what) {
        double tolerance = 8 * Math.ulp((float) scale) + 1e-30;
        assertThat((double) actual).as(what).isCloseTo(expected, within(tolerance));
    }
}
