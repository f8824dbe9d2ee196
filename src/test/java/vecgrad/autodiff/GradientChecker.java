package vecgrad.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import vecgrad.tensor.Tensor;

/**
 * Finite-difference gradient checking against a double-precision reference.
 *
 * <p>For an op {@code f} (float, on the tape) and a reference {@code F} (the same function written
 * in double in the test), the checker draws random output weights {@code w}, asks the tape for the
 * gradient of {@code f} seeded with {@code w} (a vector-Jacobian product, so no direction of the
 * Jacobian is hidden, as a ones seed would hide softmax's), and compares each element with the
 * central difference {@code (φ(x + h·e) − φ(x − h·e)) / 2h} of {@code φ = Σ w · F(x)}, evaluated in
 * double at exactly the float inputs. The double difference is accurate to about 1e-9 relative, so
 * the tolerance only has to cover the float32 rounding of the tape's gradient:
 * {@code |tape − fd| <= RTOL·|fd| + ATOL·max|fd|} (max over that input's elements). A wrong rule (a
 * sign, a missing transpose, a missing factor such as 2 or 1/m with m >= 2) is off by about |fd|
 * on most elements, far outside it.
 */
final class GradientChecker {

    /**
     * Relative tolerance per element. The float32 rounding of these short chains of ops stays below
     * 1e-6 on every test shape (all checks also pass at RTOL 1e-6, ATOL 1e-7); this leaves a margin of
     * 10 and is still about 10⁴ times smaller than the error of any wrong rule.
     */
    static final double RTOL = GradientCheck.RTOL;
    /** Absolute tolerance, as a fraction of the input's largest |gradient| (for elements that cancel to near 0). */
    static final double ATOL = GradientCheck.ATOL;
    /** Forward values: float32 results against the double reference. */
    static final double FORWARD_RTOL = GradientCheck.FORWARD_RTOL;

    /** The op under test, on the tape. */
    @FunctionalInterface
    interface Op {
        Tensor apply(Tensor... inputs);
    }

    /** The same function in double precision, on flat row-major arrays. */
    @FunctionalInterface
    interface Reference {
        double[] apply(double[]... inputs);
    }

    private final Random rng;

    GradientChecker(long seed) {
        this.rng = new Random(seed);
    }

    /** Checks the forward value and the gradient of every input. */
    void check(String what, Op op, Reference ref, Tensor... inputs) {
        boolean[] all = new boolean[inputs.length];
        Arrays.fill(all, true);
        check(what, op, ref, all, inputs);
    }

    /** Checks the forward value and the gradients of the inputs marked differentiable (the others are constants). */
    void check(String what, Op op, Reference ref, boolean[] differentiable, Tensor... inputs) {
        Tensor y;
        List<Tensor> grads;
        double[] weights;
        try (GradientTape tape = new GradientTape()) {
            for (int i = 0; i < inputs.length; i++) {
                if (differentiable[i]) {
                    tape.watch(inputs[i]);
                }
            }
            y = op.apply(inputs);
            weights = new double[y.size()];
            float[] seed = new float[y.size()];
            for (int i = 0; i < seed.length; i++) {
                seed[i] = 0.5f + rng.nextFloat();                       // in [0.5, 1.5), random sign
                seed[i] = rng.nextBoolean() ? seed[i] : -seed[i];
                weights[i] = seed[i];
            }
            grads = tape.gradient(y, Arrays.asList(inputs), Tensor.of(seed, y.shape()), UnconnectedGradients.NONE);
        }
        double[][] x = toDouble(inputs);
        double[] expected = ref.apply(x);
        assertForward(what, y, expected);
        compareWithFiniteDifferences(what, grads, ref, weights, differentiable, inputs);
    }

    /**
     * Compares gradients (from any source) with central differences of {@code Σ weights · ref(x)}.
     * {@code grads.get(i)} must be non-null for every differentiable input.
     */
    static void compareWithFiniteDifferences(String what, List<Tensor> grads, Reference ref, double[] weights,
                                             boolean[] differentiable, Tensor... inputs) {
        // The comparison is the public GradientCheck's, with its double-reference tolerances.
        List<double[]> fd = GradientCheck.differences(ref::apply, weights, differentiable, toDouble(inputs));
        GradientCheck.compare(grads, fd, Arrays.asList(inputs), RTOL, ATOL, what).assertPassed();
    }

    private static void assertForward(String what, Tensor y, double[] expected) {
        if (expected.length != y.size()) {
            throw new AssertionError(what + ": output has " + y.size() + " elements, reference " + expected.length);
        }
        String off = GradientCheck.forward(y, expected);
        if (off != null) {
            throw new AssertionError(what + ": " + off);
        }
    }

    static double[][] toDouble(Tensor[] inputs) {
        double[][] x = new double[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            float[] d = inputs[i].data();
            x[i] = new double[d.length];
            for (int e = 0; e < d.length; e++) {
                x[i][e] = d[e];
            }
        }
        return x;
    }

    // ---------------------------------------------------------------- random inputs

    /** Uniform values in [lo, hi). */
    Tensor uniform(float lo, float hi, int... shape) {
        return Tensor.randomUniform(rng, lo, hi, shape);
    }

    /** Values with |v| in [0.1, 1.5) and a random sign: away from ReLU's kink at 0. */
    Tensor awayFromZero(int... shape) {
        Tensor t = uniform(0.1f, 1.5f, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextBoolean() ? d[i] : -d[i];
        }
        return t;
    }

    /** One-hot rows {@code (m, n)} with random classes. */
    Tensor oneHot(int m, int n) {
        Tensor t = Tensor.zeros(m, n);
        for (int i = 0; i < m; i++) {
            t.set(1f, i, rng.nextInt(n));
        }
        return t;
    }

    /** Random rows of probabilities {@code (m, n)} (positive, each row summing to about 1). */
    Tensor probabilities(int m, int n) {
        Tensor t = uniform(0.05f, 1f, m, n);
        float[] d = t.data();
        for (int i = 0; i < m; i++) {
            float s = 0;
            for (int j = 0; j < n; j++) {
                s += d[i * n + j];
            }
            for (int j = 0; j < n; j++) {
                d[i * n + j] /= s;
            }
        }
        return t;
    }

    /** Shapes (m, n) to test on: 1-row, 1-column, 1×1, odd sizes, and two random ones up to 9×9. */
    List<int[]> shapes() {
        List<int[]> s = new ArrayList<>(List.of(new int[] {1, 1}, new int[] {1, 7}, new int[] {5, 1},
                new int[] {3, 5}, new int[] {7, 4}));
        s.add(new int[] {1 + rng.nextInt(9), 1 + rng.nextInt(9)});
        s.add(new int[] {1 + rng.nextInt(9), 1 + rng.nextInt(9)});
        return s;
    }

    int nextInt(int bound) {
        return rng.nextInt(bound);
    }
}
