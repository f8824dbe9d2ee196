package vecgrad.autodiff;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import vecgrad.tensor.Tensor;

/**
 * Checks the gradients a {@link GradientTape} computes for a function of yours (a custom layer, loss
 * or op) against central finite differences, as PyTorch's {@code torch.autograd.gradcheck}:
 * <pre>{@code
 * GradientCheck.Result r = GradientCheck.check(xs -> myLayer.call(xs.get(0), false), List.of(x));
 * r.assertPassed();   // throws AssertionError naming the worst element
 * }</pre>
 *
 * <p>How: random output weights {@code w} (in ±[0.5, 1.5), from a fixed seed) make the scalar
 * {@code φ(x) = Σ w·f(x)}; the tape gives {@code ∂φ/∂x} for every input (a vector-Jacobian product,
 * so no direction of the Jacobian is hidden, as a seed of ones would hide softmax's), and each element
 * is compared with {@code (φ(x + h·e) − φ(x − h·e)) / 2h}. An element passes when
 * {@code |tape − fd| <= rtol·|fd| + atol·max|fd|}, the maximum taken over that input's elements.
 *
 * <p>Two precisions, stated because they decide what a check can catch:
 * <ul>
 *   <li>{@link #check(Function, Reference, List)}: the differences are taken of a <b>double-precision
 *       reference</b> you write (the same function on {@code double[]}, e.g. Keras' formula), at exactly
 *       the float inputs, with {@code h = 1e-6·max(1, |x|)}: accurate to about 1e-9, so the tolerance
 *       ({@value #RTOL}, {@value #ATOL}) only covers the float32 rounding of the tape's gradient, and a
 *       rule off by 0.1% fails. The forward values are compared with the reference too
 *       ({@value #FORWARD_RTOL} relative). This is how the library checks its own ops.</li>
 *   <li>{@link #check(Function, List)}: no reference; the differences are taken of {@code f} itself,
 *       in float32, with {@code h =} {@value #FLOAT_STEP}{@code ·max(1, |x|)} (the steps actually
 *       taken, after rounding {@code x ± h} to float, are used), and φ summed in double. Rounding then
 *       limits the differences to about 1e-4 of the gradient's scale, so the tolerance is
 *       ({@value #FLOAT_RTOL}, {@value #FLOAT_ATOL}): a wrong sign, a missing transpose or a factor
 *       of 2 or 1/m fails, an error of a fraction of a percent may not.</li>
 * </ul>
 * {@code f} must be deterministic (inference mode for dropout) and smooth within {@code h} of the
 * inputs: keep inputs away from kinks such as ReLU's 0 by more than the step.
 */
public final class GradientCheck {

    /** Relative tolerance with a double reference: float32 rounding of short op chains stays below 1e-6. */
    public static final double RTOL = 1e-5;
    /** Absolute tolerance with a double reference, as a fraction of the input's largest |gradient|. */
    public static final double ATOL = 1e-6;
    /** Forward values against the double reference, relative to the value plus the largest |value|. */
    public static final double FORWARD_RTOL = 1e-5;
    /** The relative step of float32 differences: 2^-7, near the cube root of float's epsilon, which balances rounding and truncation. */
    public static final double FLOAT_STEP = 0.0078125;
    /** Relative tolerance of float32 differences. */
    public static final double FLOAT_RTOL = 1e-2;
    /** Absolute tolerance of float32 differences, as a fraction of the input's largest |gradient|. */
    public static final double FLOAT_ATOL = 1e-3;

    private static final long SEED = 0x5EEDL;

    private GradientCheck() {
    }

    /** The function in double precision, on flat row-major copies of the inputs. */
    @FunctionalInterface
    public interface Reference {
        /**
         * {@code f(inputs)} flattened row-major, in double.
         *
         * @param inputs one flat row-major array per input, in the order of the checked inputs
         * @return the function's values, flattened row-major: as many as the tensor {@code f} returns
         */
        double[] apply(double[][] inputs);
    }

    /**
     * The outcome of a check.
     *
     * @param passed            whether every element of every input (and output, with a reference) is within tolerance
     * @param maxAbsoluteError  the largest {@code |tape − fd|}
     * @param maxRelativeError  the largest {@code |tape − fd| / max|fd|}, per input's scale
     * @param worst             the element closest to (or furthest past) its tolerance, described
     * @param rtol              the relative tolerance used
     * @param atol              the absolute tolerance used (a fraction of each input's largest |fd|)
     */
    public record Result(boolean passed, double maxAbsoluteError, double maxRelativeError, String worst,
                         double rtol, double atol) {

        /**
         * Returns this result when it passed; throws {@link AssertionError} naming the worst element otherwise.
         *
         * @return this result, so that its errors can be read after the assertion
         * @throws AssertionError if the check did not pass, with the worst element as its message
         */
        public Result assertPassed() {
            if (!passed) {
                throw new AssertionError(worst);
            }
            return this;
        }
    }

    /**
     * Checks {@code f}'s gradients against float32 central differences of {@code f} itself.
     *
     * @param f      the function, through recorded ops; every input is differentiated
     * @param inputs its inputs (their data is changed during the check and restored)
     * @return the outcome, with the float32 tolerances {@link #FLOAT_RTOL} and {@link #FLOAT_ATOL}
     * @throws IllegalArgumentException if there are no inputs, or {@code f} gives a non-finite value
     */
    public static Result check(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {
        Objects.requireNonNull(f, "f");
        List<Tensor> in = checkInputs(inputs);
        Tape t = tape(f, in);
        List<double[]> fd = new ArrayList<>();
        for (Tensor x : in) {
            float[] d = x.data();
            double[] g = new double[d.length];
            for (int e = 0; e < d.length; e++) {
                float saved = d[e];
                double h = FLOAT_STEP * Math.max(1, Math.abs(saved));
                float up = (float) (saved + h);
                float down = (float) (saved - h);
                d[e] = up;
                double plus = dot(t.weights, values(f, in));
                d[e] = down;
                double minus = dot(t.weights, values(f, in));
                d[e] = saved;
                g[e] = (plus - minus) / ((double) up - (double) down);
            }
            fd.add(g);
        }
        return compare(t.grads, fd, in, FLOAT_RTOL, FLOAT_ATOL, null);
    }

    /**
     * Checks {@code f}'s forward values against a double-precision reference, and its gradients
     * against central differences of the reference, in double.
     *
     * @param f         the function, through recorded ops; every input is differentiated
     * @param reference the same function in double
     * @param inputs    its inputs
     * @return the outcome, with the tolerances {@link #RTOL} and {@link #ATOL}
     * @throws IllegalArgumentException if there are no inputs, {@code f} gives a non-finite value, or the
     *     reference's output has another size than {@code f}'s
     */
    public static Result check(Function<List<Tensor>, Tensor> f, Reference reference, List<Tensor> inputs) {
        Objects.requireNonNull(f, "f");
        Objects.requireNonNull(reference, "reference");
        List<Tensor> in = checkInputs(inputs);
        Tape t = tape(f, in);
        double[][] x = toDouble(in);
        double[] expected = reference.apply(x);
        if (expected.length != t.y.size()) {
            throw new IllegalArgumentException("GradientCheck: the reference gives " + expected.length
                    + " values, f gives " + t.y.size() + " " + t.y.shapeString());
        }
        String forward = forward(t.y, expected);
        boolean[] all = new boolean[in.size()];
        java.util.Arrays.fill(all, true);
        Result r = compare(t.grads, differences(reference, t.weights, all, x), in, RTOL, ATOL, null);
        if (forward != null) {
            return new Result(false, r.maxAbsoluteError(), r.maxRelativeError(), forward, RTOL, ATOL);
        }
        return r;
    }

    // ---------------------------------------------------------------- the parts, for the library's own tests

    /** Central differences of {@code Σ weights · reference(x)} in double, for each input marked. */
    static List<double[]> differences(Reference reference, double[] weights, boolean[] differentiable, double[][] x) {
        List<double[]> fd = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (!differentiable[i]) {
                fd.add(null);
                continue;
            }
            double[] g = new double[x[i].length];
            for (int e = 0; e < g.length; e++) {
                double saved = x[i][e];
                double h = 1e-6 * Math.max(1, Math.abs(saved));
                x[i][e] = saved + h;
                double plus = dot(weights, reference.apply(x));
                x[i][e] = saved - h;
                double minus = dot(weights, reference.apply(x));
                x[i][e] = saved;
                g[e] = (plus - minus) / (2 * h);
            }
            fd.add(g);
        }
        return fd;
    }

    /**
     * Compares gradients with finite differences ({@code fd.get(i) == null} skips input {@code i}).
     * The worst element is the one with the largest error over its tolerance.
     */
    static Result compare(List<Tensor> grads, List<double[]> fd, List<Tensor> inputs, double rtol, double atol,
                          String what) {
        String prefix = what == null ? "" : what + ": ";
        double maxAbs = 0;
        double maxRel = 0;
        double worstRatio = -1;
        String worst = "no elements";
        boolean passed = true;
        for (int i = 0; i < inputs.size(); i++) {
            double[] d = fd.get(i);
            if (d == null) {
                continue;
            }
            Tensor x = inputs.get(i);
            Tensor g = grads.get(i);
            if (g == null) {
                return new Result(false, Double.NaN, Double.NaN, prefix + "no gradient for input " + i + " "
                        + x.shapeString() + " (f does not depend on it through recorded ops)", rtol, atol);
            }
            if (!g.hasShape(x.shape())) {
                return new Result(false, Double.NaN, Double.NaN, prefix + "gradient of input " + i + " has shape "
                        + g.shapeString() + ", expected " + x.shapeString(), rtol, atol);
            }
            double scale = 0;
            for (double v : d) {
                scale = Math.max(scale, Math.abs(v));
            }
            float[] gd = g.data();
            for (int e = 0; e < d.length; e++) {
                double err = Math.abs(gd[e] - d[e]);
                double tolerance = rtol * Math.abs(d[e]) + atol * scale + 1e-12;
                boolean ok = err <= tolerance; // false for NaN
                double ratio = ok ? err / tolerance : Double.POSITIVE_INFINITY;
                if (!Double.isNaN(err)) {
                    maxAbs = Math.max(maxAbs, err);
                    maxRel = Math.max(maxRel, scale == 0 ? (err == 0 ? 0 : Double.POSITIVE_INFINITY) : err / scale);
                }
                if (ratio > worstRatio || (!ok && passed)) {
                    worstRatio = ratio;
                    worst = String.format(java.util.Locale.ROOT, "%sgradient of input %d %s at flat index %d: tape %.9g,"
                                    + " finite difference %.9g (|difference| %.3g %s tolerance %.3g)", prefix, i,
                            x.shapeString(), e, gd[e], d[e], err, ok ? "<=" : ">", tolerance);
                }
                passed &= ok;
            }
        }
        return new Result(passed, maxAbs, maxRel, worst, rtol, atol);
    }

    /** The first output element off the reference, described, or null. */
    static String forward(Tensor y, double[] expected) {
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        float[] yd = y.data();
        for (int e = 0; e < yd.length; e++) {
            double tolerance = FORWARD_RTOL * (Math.abs(expected[e]) + scale) + 1e-12;
            if (!(Math.abs(yd[e] - expected[e]) <= tolerance)) {
                return String.format(java.util.Locale.ROOT, "output at flat index %d: %.9g, reference %.9g", e, yd[e],
                        expected[e]);
            }
        }
        return null;
    }

    static double[][] toDouble(List<Tensor> inputs) {
        double[][] x = new double[inputs.size()][];
        for (int i = 0; i < x.length; i++) {
            float[] d = inputs.get(i).data();
            x[i] = new double[d.length];
            for (int e = 0; e < d.length; e++) {
                x[i][e] = d[e];
            }
        }
        return x;
    }

    // ---------------------------------------------------------------- helpers

    private record Tape(Tensor y, double[] weights, List<Tensor> grads) {
    }

    private static List<Tensor> checkInputs(List<Tensor> inputs) {
        Objects.requireNonNull(inputs, "inputs");
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("GradientCheck: expected at least one input, got none");
        }
        for (int i = 0; i < inputs.size(); i++) {
            Tensor x = Objects.requireNonNull(inputs.get(i), "input " + i);
            for (int j = 0; j < i; j++) {
                if (inputs.get(j) == x) {
                    throw new IllegalArgumentException("GradientCheck: input " + i + " is input " + j
                            + " again; pass each tensor once");
                }
            }
        }
        return List.copyOf(inputs);
    }

    /** Runs f on a tape seeded with random output weights; returns the output, weights and gradients. */
    private static Tape tape(Function<List<Tensor>, Tensor> f, List<Tensor> in) {
        Random rng = new Random(SEED);
        try (GradientTape tape = new GradientTape()) {
            for (Tensor x : in) {
                tape.watch(x);
            }
            Tensor y = Objects.requireNonNull(f.apply(in), "f returned null");
            requireFinite(y);
            float[] seed = new float[y.size()];
            double[] weights = new double[seed.length];
            for (int i = 0; i < seed.length; i++) {
                seed[i] = 0.5f + rng.nextFloat();
                seed[i] = rng.nextBoolean() ? seed[i] : -seed[i];
                weights[i] = seed[i];
            }
            List<Tensor> grads = tape.gradient(y, in, Tensor.of(seed, y.shape()), UnconnectedGradients.NONE);
            return new Tape(y, weights, grads);
        }
    }

    private static float[] values(Function<List<Tensor>, Tensor> f, List<Tensor> in) {
        Tensor y = GradientTape.unrecorded(() -> f.apply(in));
        requireFinite(y);
        return y.data();
    }

    private static void requireFinite(Tensor y) {
        for (float v : y.data()) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("GradientCheck: f gives a non-finite value " + v + " in "
                        + y.shapeString() + "; check it where it is finite");
            }
        }
    }

    private static double dot(double[] w, float[] y) {
        if (w.length != y.length) {
            throw new IllegalArgumentException("GradientCheck: f gave " + y.length + " values, then " + w.length
                    + "; it must give the same shape every time");
        }
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            s += w[i] * y[i];
        }
        return s;
    }

    private static double dot(double[] w, double[] y) {
        if (w.length != y.length) {
            throw new IllegalArgumentException("GradientCheck: the reference gives " + y.length + " values, f gives "
                    + w.length);
        }
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            s += w[i] * y[i];
        }
        return s;
    }
}
