package vecgrad.autodiff;

import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;

/**
 * Every op's value and gradient against a double-precision reference and finite differences
 * ({@link GradientChecker}), on 1×1, 1-row, 1-column, odd and random shapes.
 */
final class OpsGradientTest {

    private final GradientChecker checker = new GradientChecker(20240601L);

    private static String name(String op, int... s) {
        return op + " " + Tensor.shapeString(s);
    }

    @Test
    void matmul_matchesFiniteDifferences() {
        for (int[] s : checker.shapes()) {
            int m = s[0];
            int k = s[1];
            int n = 1 + checker.nextInt(6);
            checker.check(name("matmul", m, k, n), x -> Ops.matmul(x[0], x[1]), r -> Ref.matmul(r[0], r[1], m, k, n),
                    checker.uniform(-1, 1, m, k), checker.uniform(-1, 1, k, n));
        }
    }

    @Test
    void add_matchesFiniteDifferences() {
        for (int[] s : checker.shapes()) {
            checker.check(name("add", s), x -> Ops.add(x[0], x[1]), r -> Ref.zip(r[0], r[1], Double::sum),
                    checker.uniform(-1, 1, s), checker.uniform(-1, 1, s));
            checker.check(name("add row vector", s), x -> Ops.add(x[0], x[1]), r -> Ref.zip(r[0], r[1], Double::sum),
                    checker.uniform(-1, 1, s), checker.uniform(-1, 1, s[1]));
        }
    }

    @Test
    void sub_matchesFiniteDifferences() {
        for (int[] s : checker.shapes()) {
            checker.check(name("sub", s), x -> Ops.sub(x[0], x[1]), r -> Ref.zip(r[0], r[1], (a, b) -> a - b),
                    checker.uniform(-1, 1, s), checker.uniform(-1, 1, s));
            checker.check(name("sub row vector", s), x -> Ops.sub(x[0], x[1]), r -> Ref.zip(r[0], r[1], (a, b) -> a - b),
                    checker.uniform(-1, 1, s), checker.uniform(-1, 1, s[1]));
        }
    }

    @Test
    void mul_matchesFiniteDifferences() {
        for (int[] s : checker.shapes()) {
            checker.check(name("mul", s), x -> Ops.mul(x[0], x[1]), r -> Ref.zip(r[0], r[1], (a, b) -> a * b),
                    checker.uniform(-1, 1, s), checker.uniform(-1, 1, s));
            checker.check(name("mul row vector", s), x -> Ops.mul(x[0], x[1]), r -> Ref.zip(r[0], r[1], (a, b) -> a * b),
                    checker.uniform(-1, 1, s), checker.uniform(-1, 1, s[1]));
        }
    }

    @Test
    void div_matchesFiniteDifferences() {
        for (int[] s : checker.shapes()) {
            checker.check(name("div", s), x -> Ops.div(x[0], x[1]), r -> Ref.zip(r[0], r[1], (a, b) -> a / b),
                    checker.uniform(-1, 1, s), checker.awayFromZero(s));
            checker.check(name("div row vector", s), x -> Ops.div(x[0], x[1]), r -> Ref.zip(r[0], r[1], (a, b) -> a / b),
                    checker.uniform(-1, 1, s), checker.awayFromZero(s[1]));
        }
    }

    @Test
    void scale_matchesFiniteDifferences() {
        for (int[] s : checker.shapes()) {
            checker.check(name("scale", s), x -> Ops.scale(x[0], -2.5f), r -> Ref.map(r[0], v -> -2.5 * v),
                    checker.uniform(-1, 1, s));
        }
    }

    @Test
    void square_matchesFiniteDifferences() {
        for (int[] s : checker.shapes()) {
            checker.check(name("square", s), x -> Ops.square(x[0]), r -> Ref.map(r[0], v -> v * v),
                    checker.uniform(-2, 2, s));
        }
    }

    @Test
    void relu_matchesFiniteDifferences() {
        for (int[] s : checker.shapes()) {
            checker.check(name("relu", s), x -> ActivationOps.relu(x[0]), r -> Ref.map(r[0], v -> Math.max(v, 0)),
                    checker.awayFromZero(s));
        }
    }

    @Test
    void sigmoid_matchesFiniteDifferences() {
        for (int[] s : checker.shapes()) {
            checker.check(name("sigmoid", s), x -> ActivationOps.sigmoid(x[0]), r -> Ref.map(r[0], v -> 1 / (1 + Math.exp(-v))),
                    checker.uniform(-4, 4, s));
        }
    }

    @Test
    void tanh_matchesFiniteDifferences() {
        for (int[] s : checker.shapes()) {
            checker.check(name("tanh", s), x -> ActivationOps.tanh(x[0]), r -> Ref.map(r[0], Math::tanh), checker.uniform(-2, 2, s));
        }
    }

    @Test
    void exp_matchesFiniteDifferences() {
        for (int[] s : checker.shapes()) {
            checker.check(name("exp", s), x -> Ops.exp(x[0]), r -> Ref.map(r[0], Math::exp), checker.uniform(-2, 2, s));
        }
    }

    @Test
    void log_matchesFiniteDifferences() {
        for (int[] s : checker.shapes()) {
            checker.check(name("log", s), x -> Ops.log(x[0]), r -> Ref.map(r[0], Math::log), checker.uniform(0.1f, 3, s));
        }
    }

    @Test
    void softmax_matchesFiniteDifferences() {
        for (int[] s : checker.shapes()) {
            checker.check(name("softmax", s), x -> ActivationOps.softmax(x[0]), r -> Ref.softmaxRows(r[0], s[0], s[1]),
                    checker.uniform(-3, 3, s));
        }
    }

    @Test
    void logSoftmax_matchesFiniteDifferences() {
        for (int[] s : checker.shapes()) {
            checker.check(name("logSoftmax", s), x -> ActivationOps.logSoftmax(x[0]), r -> Ref.logSoftmaxRows(r[0], s[0], s[1]),
                    checker.uniform(-3, 3, s));
        }
    }

    @Test
    void sum_matchesFiniteDifferences() {
        for (int[] s : checker.shapes()) {
            checker.check(name("sum", s), x -> Ops.sum(x[0]), r -> Ref.sum(r[0]), checker.uniform(-1, 1, s));
            for (int axis = 0; axis < 2; axis++) {
                int ax = axis;
                checker.check(name("sum axis " + axis, s), x -> Ops.sum(x[0], ax), r -> Ref.sum(r[0], s[0], s[1], ax),
                        checker.uniform(-1, 1, s));
            }
        }
    }

    @Test
    void mean_matchesFiniteDifferences() {
        for (int[] s : checker.shapes()) {
            int size = s[0] * s[1];
            checker.check(name("mean", s), x -> Ops.mean(x[0]), r -> Ref.map(Ref.sum(r[0]), v -> v / size),
                    checker.uniform(-1, 1, s));
            for (int axis = 0; axis < 2; axis++) {
                int ax = axis;
                int count = s[axis];
                checker.check(name("mean axis " + axis, s), x -> Ops.mean(x[0], ax),
                        r -> Ref.map(Ref.sum(r[0], s[0], s[1], ax), v -> v / count), checker.uniform(-1, 1, s));
            }
        }
    }

    @Test
    void reshape_matchesFiniteDifferences() {
        for (int[] s : checker.shapes()) {
            // reshape then an op that tells positions apart, so that a wrongly ordered gradient shows
            checker.check(name("reshape", s), x -> Ops.mul(Ops.reshape(x[0], s[1], s[0]), x[1]),
                    r -> Ref.zip(r[0], r[1], (a, b) -> a * b), checker.uniform(-1, 1, s), checker.uniform(-1, 1, s[1], s[0]));
            checker.check(name("reshape to rank 1", s), x -> Ops.reshape(x[0], -1), r -> r[0], checker.uniform(-1, 1, s));
        }
    }

    @Test
    void softmaxCrossEntropyWithLogits_matchesFiniteDifferences() {
        for (int[] s : checker.shapes()) {
            boolean[] logitsOnly = {false, true};
            checker.check(name("softmaxCrossEntropyWithLogits", s), x -> LossOps.softmaxCrossEntropyWithLogits(x[0], x[1]),
                    r -> Ref.softmaxCrossEntropy(r[0], r[1], s[0], s[1]), logitsOnly,
                    checker.oneHot(s[0], s[1]), checker.uniform(-3, 3, s));
            checker.check(name("softmaxCrossEntropyWithLogits soft labels", s),
                    x -> LossOps.softmaxCrossEntropyWithLogits(x[0], x[1]),
                    r -> Ref.softmaxCrossEntropy(r[0], r[1], s[0], s[1]), logitsOnly,
                    checker.probabilities(s[0], s[1]), checker.uniform(-3, 3, s));
        }
    }

    @Test
    void categoricalCrossentropy_matchesFiniteDifferences() {
        for (int[] s : checker.shapes()) {
            boolean[] predOnly = {false, true};
            checker.check(name("categoricalCrossentropy", s), x -> LossOps.categoricalCrossentropy(x[0], x[1]),
                    r -> Ref.categoricalCrossentropy(r[0], r[1], s[0], s[1]), predOnly,
                    checker.oneHot(s[0], s[1]), checker.probabilities(s[0], s[1]));
        }
    }

    @Test
    void categoricalCrossentropy_clippedElements_matchFiniteDifferences() {
        // Unnormalised rows, so that finite-difference steps (1e-6 absolute on small values) stay on
        // one side of the clip bounds. Row 0: the true class is clipped at 1e-7 (no gradient through
        // it); row 1: an element clipped at 1e-7 beside an unclipped true class; row 2: the true class
        // clipped at 1 - 1e-7; row 3: nothing clipped.
        Tensor yTrue = Tensor.of(new float[] {1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1}, 4, 3);
        Tensor yPred = Tensor.of(new float[] {1e-3f, 1e5f, 1e5f, 1e-3f, 1e5f, 1e5f, 1e-3f, 1e5f, 1e-3f, 0.2f, 0.3f, 0.5f},
                4, 3);
        checker.check("categoricalCrossentropy clipped", x -> LossOps.categoricalCrossentropy(x[0], x[1]),
                r -> Ref.categoricalCrossentropy(r[0], r[1], 4, 3), new boolean[] {false, true}, yTrue, yPred);
    }

    @Test
    void custom_correctRule_matchesFiniteDifferences() {
        for (int[] s : checker.shapes()) {
            checker.check(name("custom cube", s), x -> Ops.custom("cube", in -> Ops.mul(Ops.square(in[0]), in[0]),
                            (g, y, in) -> new Tensor[] {Ops.mul(g, Ops.scale(Ops.square(in[0]), 3f))}, x[0]),
                    r -> Ref.map(r[0], v -> v * v * v), checker.uniform(-2, 2, s));
        }
    }

    @Test
    void composition_tensorUsedSeveralTimes_matchesFiniteDifferences() {
        // x feeds four ops: the tape must sum its four contributions
        for (int[] s : checker.shapes()) {
            int n = s[1];
            checker.check(name("composition", s),
                    x -> Ops.add(Ops.mul(ActivationOps.tanh(x[0]), x[0]), Ops.div(Ops.exp(x[0]), Ops.add(Ops.square(x[0]), x[1]))),
                    r -> {
                        double[] out = new double[r[0].length];
                        for (int i = 0; i < out.length; i++) {
                            double v = r[0][i];
                            out[i] = Math.tanh(v) * v + Math.exp(v) / (v * v + r[1][i % n]);
                        }
                        return out;
                    }, checker.uniform(-1, 1, s), checker.uniform(1, 2, n));
        }
    }
}
