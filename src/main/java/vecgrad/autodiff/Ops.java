package vecgrad.autodiff;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;
import vecgrad.kernel.KernelProvider;
import vecgrad.kernel.Kernels;
import vecgrad.tensor.Tensor;

/**
 * The core differentiable ops: the matrix product, the broadcasting elementwise ops, {@link #scale},
 * {@link #square}, {@link #exp}, {@link #log}, the reductions, {@link #reshape} and user-defined ops
 * ({@link #custom}). Each returns a new tensor (a view for {@link #reshape}) and, when an open
 * {@link GradientTape} watches one of its inputs, records its backward rule on that tape.
 *
 * <p>The other ops live with their family: the activations (relu, sigmoid, tanh, softmax,
 * logSoftmax and Keras' others) in {@link ActivationOps}, the losses (the cross-entropies, weighted
 * or not, and Keras' others) in {@link LossOps}, batch and layer normalisation in
 * {@link NormalizationOps}.
 *
 * <p>Shapes: ops on matrices take rank-2 tensors {@code (rows, cols)}. The elementwise binary ops
 * ({@link #add}, {@link #sub}, {@link #mul}, {@link #div}) broadcast as NumPy: the shapes are aligned
 * on their trailing axes, and an axis of size 1 or a missing axis stretches to the other's size
 * ({@code (3,1)} and {@code ()} give {@code (3,1)}; {@code (4,1,3)} and {@code (5,1)} give
 * {@code (4,5,3)}); the gradient of a stretched input is the sum over its stretched axes. Shapes
 * that do not broadcast throw {@link IllegalArgumentException} at the call, naming both.
 *
 * <p>Each op's Javadoc gives its derivative, with {@code g} the gradient of the loss with respect to
 * the op's output; the code of the op holds the same rule next to the forward computation.
 */
public final class Ops {

    /*
     * One op, one place: each method checks its arguments, computes the forward result, and passes
     * its backward closure to GradientTape.record together with a signature and the rule as text (for
     * the graph export). The closures are the derivatives table: they return their inputs' gradients,
     * computing only those the tape needs (need[i]), and never write to g or to a forward tensor.
     * Every output and gradient is allocated by Buffers.
     *
     * Primitives are kept to ops with their own math or numerics; sub, square and mean are composed
     * (sub = add + scale(-1), exact in IEEE arithmetic; square = mul(x, x); mean = scale(sum, 1/n)).
     *
     * Broadcasting has three paths, chosen by layout(): equal shapes, and a tensor plus a vector
     * along its last axis (a bias, on a Dense output or an NHWC feature map) keep their original
     * kernels, so the report network's training is unchanged to the bit; every other pair of shapes
     * takes the general path (broadcastZip forward, sumTo backward), which walks the output in
     * row-major order with per-input strides that are 0 on stretched axes (NumPy's rule,
     * numpy.org/doc/stable/user/basics.broadcasting.html). sumTo accumulates in double and rounds
     * once, like the other reductions.
     *
     * The package-private helpers near the end (argument checks, map/zip, logSumExp) serve
     * ActivationOps and LossOps too, so every family checks its arguments with the same messages and
     * every log-sum-exp (logSoftmax, the softmax cross-entropies) is one computation.
     */

    private Ops() {
    }

    // ---------------------------------------------------------------- products and elementwise

    /**
     * Matrix product {@code c (m,n) = a (m,k) · b (k,n)}.
     * Derivative: {@code da = g·bᵀ}, {@code db = aᵀ·g}, computed with the transposed kernels
     * (no transpose is materialised).
     *
     * @param a the left factor {@code (m,k)}
     * @param b the right factor {@code (k,n)}
     * @return the product {@code c (m,n)}
     * @throws IllegalArgumentException if {@code a} or {@code b} is not rank 2, or their inner dimensions differ
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        requireRank2("matmul", "a", a);
        requireRank2("matmul", "b", b);
        int m = a.rows();
        int k = a.cols();
        int n = b.cols();
        if (b.rows() != k) {
            throw new IllegalArgumentException("matmul: expected a (m,k) · b (k,n), got a " + a.shapeString()
                    + " and b " + b.shapeString());
        }
        Tensor c = Buffers.tensor(m, n);
        kernels().matmul(a.data(), b.data(), c.data(), m, k, n, false);
        return GradientTape.record("matmul(a, b)", "da = g·bᵀ; db = aᵀ·g", c, (g, need) -> {
            Tensor da = null;
            Tensor db = null;
            if (need[0]) {
                da = Buffers.tensor(m, k);   // g (m,n) · bᵀ, b (k,n) -> da (m,k)
                kernels().matmulTransB(g.data(), b.data(), da.data(), m, n, k, false);
            }
            if (need[1]) {
                db = Buffers.tensor(k, n);   // aᵀ · g, a (m,k), g (m,n) -> db (k,n)
                kernels().matmulTransA(a.data(), g.data(), db.data(), k, m, n, false);
            }
            return new Tensor[] {da, db};
        }, a, b);
    }

    /**
     * {@code a + b}, broadcast (see the class comment): {@code a (m,n) + b (n,)} adds {@code b} to
     * every row, {@code a (3,1) + b ()} adds a scalar.
     * Derivative: {@code da = g}, {@code db = g}, each summed over the axes its input was stretched on.
     *
     * @param a the first operand, any shape that broadcasts with {@code b}
     * @param b the second operand, any shape that broadcasts with {@code a}
     * @return the sum, of the broadcast shape of {@code a} and {@code b}
     * @throws IllegalArgumentException if the shapes of {@code a} and {@code b} do not broadcast
     */
    public static Tensor add(Tensor a, Tensor b) {
        int layout = layout("add", a, b);
        if (layout == GENERAL) {
            int[] shape = broadcastShape(a.shape(), b.shape());
            Tensor c = broadcastZip(a, b, shape, Float::sum);
            int[] as = a.shape();
            int[] bs = b.shape();
            return GradientTape.record("add(a, b)", "da = Σ_stretched g; db = Σ_stretched g", c,
                    (g, need) -> new Tensor[] {need[0] ? sumTo(g, as) : null, need[1] ? sumTo(g, bs) : null}, a, b);
        }
        boolean row = layout == ROW;
        Tensor c = Buffers.like(a);
        if (row) {
            int cols = b.size();
            kernels().addRowVector(a.data(), b.data(), c.data(), cols == 0 ? 0 : a.size() / cols, cols);
        } else {
            kernels().add(a.data(), b.data(), c.data(), a.size());
        }
        return GradientTape.record("add(a, b)", row ? "da = g; db = Σ_rows g" : "da = g; db = g", c,
                (g, need) -> new Tensor[] {need[0] ? g : null, need[1] ? (row ? sumRows(g) : g) : null}, a, b);
    }

    /**
     * {@code a − b}, broadcast as {@link #add}: composed as {@code add(a, scale(b, -1))}.
     *
     * @param a the minuend, any shape that broadcasts with {@code b}
     * @param b the subtrahend, any shape that broadcasts with {@code a}
     * @return the difference, of the broadcast shape of {@code a} and {@code b}
     * @throws IllegalArgumentException if the shapes of {@code a} and {@code b} do not broadcast
     */
    public static Tensor sub(Tensor a, Tensor b) {
        layout("sub", a, b);
        return add(a, scale(b, -1f));
    }

    /**
     * {@code a ⊙ b} elementwise, broadcast as {@link #add}.
     * Derivative: {@code da = g ⊙ b}, {@code db = g ⊙ a}, each summed over the axes its input was
     * stretched on.
     *
     * @param a the first factor, any shape that broadcasts with {@code b}
     * @param b the second factor, any shape that broadcasts with {@code a}
     * @return the elementwise product, of the broadcast shape of {@code a} and {@code b}
     * @throws IllegalArgumentException if the shapes of {@code a} and {@code b} do not broadcast
     */
    public static Tensor mul(Tensor a, Tensor b) {
        int layout = layout("mul", a, b);
        if (layout == GENERAL) {
            int[] shape = broadcastShape(a.shape(), b.shape());
            Tensor c = broadcastZip(a, b, shape, (x, y) -> x * y);
            return GradientTape.record("mul(a, b)", "da = Σ_stretched g ⊙ b; db = Σ_stretched g ⊙ a", c, (g, need) -> {
                Tensor da = need[0] ? sumTo(broadcastZip(g, b, shape, (gi, bi) -> gi * bi), a.shape()) : null;
                Tensor db = need[1] ? sumTo(broadcastZip(g, a, shape, (gi, ai) -> gi * ai), b.shape()) : null;
                return new Tensor[] {da, db};
            }, a, b);
        }
        boolean row = layout == ROW;
        Tensor c;
        if (row) {
            c = zip(a, b, true, (x, y) -> x * y);
        } else {
            c = Buffers.like(a);
            kernels().mul(a.data(), b.data(), c.data(), a.size());
        }
        return GradientTape.record("mul(a, b)", "da = g ⊙ b; db = g ⊙ a", c, (g, need) -> {
            Tensor da = need[0] ? zip(g, b, row, (gi, bi) -> gi * bi) : null;
            Tensor db = null;
            if (need[1]) {
                Tensor t = zip(g, a, false, (gi, ai) -> gi * ai);
                db = row ? sumRows(t) : t;
            }
            return new Tensor[] {da, db};
        }, a, b);
    }

    /**
     * {@code a / b} elementwise, broadcast as {@link #add} (a primitive, not {@code a · (1/b)}, so
     * that the quotient is correctly rounded).
     * Derivative: {@code da = g / b}, {@code db = −g ⊙ a / b² = −da ⊙ c}, each summed over the axes
     * its input was stretched on.
     *
     * @param a the dividend, any shape that broadcasts with {@code b}
     * @param b the divisor, any shape that broadcasts with {@code a}
     * @return the elementwise quotient {@code c}, of the broadcast shape of {@code a} and {@code b}
     * @throws IllegalArgumentException if the shapes of {@code a} and {@code b} do not broadcast
     */
    public static Tensor div(Tensor a, Tensor b) {
        int layout = layout("div", a, b);
        if (layout == GENERAL) {
            int[] shape = broadcastShape(a.shape(), b.shape());
            Tensor c = broadcastZip(a, b, shape, (x, y) -> x / y);
            return GradientTape.record("div(a, b)", "da = Σ_stretched g / b; db = Σ_stretched −g ⊙ a / b²", c,
                    (g, need) -> {
                        Tensor gOverB = broadcastZip(g, b, shape, (gi, bi) -> gi / bi);   // (shape)
                        Tensor da = need[0] ? sumTo(gOverB, a.shape()) : null;
                        Tensor db = need[1] ? sumTo(zip(gOverB, c, false, (q, ci) -> -q * ci), b.shape()) : null;
                        return new Tensor[] {da, db};
                    }, a, b);
        }
        boolean row = layout == ROW;
        Tensor c = zip(a, b, row, (x, y) -> x / y);
        return GradientTape.record("div(a, b)", "da = g / b; db = −g ⊙ a / b²", c, (g, need) -> {
            Tensor da = zip(g, b, row, (gi, bi) -> gi / bi);
            Tensor db = null;
            if (need[1]) {
                Tensor t = zip(da, c, false, (dai, ci) -> -dai * ci);
                db = row ? sumRows(t) : t;
            }
            return new Tensor[] {need[0] ? da : null, db};
        }, a, b);
    }

    /**
     * {@code alpha · x}. Derivative: {@code dx = alpha · g}.
     *
     * @param x the input, any shape
     * @param alpha the factor, finite
     * @return {@code y}, the same shape as {@code x}
     * @throws IllegalArgumentException if {@code alpha} is not finite
     */
    public static Tensor scale(Tensor x, float alpha) {
        require("scale", "x", x);
        if (!Float.isFinite(alpha)) {
            throw new IllegalArgumentException("scale: expected a finite alpha, got " + alpha);
        }
        Tensor y = Buffers.like(x);
        kernels().scale(alpha, x.data(), y.data(), x.size());
        return GradientTape.record("scale(x)", "dx = " + alpha + " · g", y, (g, need) -> {
            Tensor dx = Buffers.like(g);
            kernels().scale(alpha, g.data(), dx.data(), g.size());
            return new Tensor[] {dx};
        }, x);
    }

    /**
     * {@code x²} elementwise: composed as {@code mul(x, x)}.
     *
     * @param x the input, any shape
     * @return the squares, the same shape as {@code x}
     */
    public static Tensor square(Tensor x) {
        require("square", "x", x);
        return mul(x, x);
    }

    // ---------------------------------------------------------------- elementwise functions

    /**
     * {@code e^x}. Derivative: {@code dx = g ⊙ y}.
     *
     * @param x the input, any shape
     * @return {@code y}, the same shape as {@code x}
     */
    public static Tensor exp(Tensor x) {
        require("exp", "x", x);
        Tensor y = map(x, v -> (float) Math.exp(v));
        return GradientTape.record("exp(x)", "dx = g ⊙ y", y,
                (g, need) -> new Tensor[] {zip(g, y, false, (gi, yi) -> gi * yi)}, x);
    }

    /**
     * Natural logarithm ({@code NaN} below 0, {@code −∞} at 0). Derivative: {@code dx = g / x}.
     *
     * @param x the input, any shape
     * @return the logarithms, the same shape as {@code x}
     */
    public static Tensor log(Tensor x) {
        require("log", "x", x);
        Tensor y = map(x, v -> (float) Math.log(v));
        return GradientTape.record("log(x)", "dx = g / x", y,
                (g, need) -> new Tensor[] {zip(g, x, false, (gi, xi) -> gi / xi)}, x);
    }

    // ---------------------------------------------------------------- reductions and shape

    /**
     * The sum of all elements, a scalar (shape {@code ()}); accumulated in double and rounded once.
     * Derivative: {@code dx = g} in every element.
     *
     * @param x the input, any shape
     * @return the sum, a scalar tensor of shape {@code ()}
     */
    public static Tensor sum(Tensor x) {
        require("sum", "x", x);
        double s = 0;
        for (float v : x.data()) {
            s += v;
        }
        Tensor y = Buffers.tensor();
        y.data()[0] = (float) s;
        return GradientTape.record("sum(x)", "dx = g (every element)", y,
                (g, need) -> new Tensor[] {Buffers.filled(g.item(), x.shape())}, x);
    }

    /**
     * The sums of {@code x (m,n)} along {@code axis}: axis 0 gives the column sums {@code (n,)}, axis 1
     * the row sums {@code (m,)}; accumulated in double and rounded once.
     * Derivative: {@code g} broadcast back along the summed axis.
     *
     * @param x the input {@code (m,n)}
     * @param axis the axis summed over: 0 (down the columns) or 1 (along the rows)
     * @return the sums, {@code (n,)} for axis 0 and {@code (m,)} for axis 1
     * @throws IllegalArgumentException if {@code x} is not rank 2 or {@code axis} is not 0 or 1
     */
    public static Tensor sum(Tensor x, int axis) {
        requireRank2("sum", "x", x);
        requireAxis("sum", axis);
        int m = x.rows();
        int n = x.cols();
        float[] xd = x.data();
        Tensor y = Buffers.tensor(axis == 0 ? n : m);
        float[] yd = y.data();
        if (axis == 0) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int i = 0; i < m; i++) {
                    s += xd[i * n + j];
                }
                yd[j] = (float) s;
            }
        } else {
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += xd[i * n + j];
                }
                yd[i] = (float) s;
            }
        }
        return GradientTape.record(axis == 0 ? "sum(x, axis=0)" : "sum(x, axis=1)",
                axis == 0 ? "dx[i][j] = g[j]" : "dx[i][j] = g[i]", y, (g, need) -> {
                    Tensor dx = Buffers.like(x);
                    float[] gd = g.data();
                    float[] d = dx.data();
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            d[i * n + j] = gd[axis == 0 ? j : i];
                        }
                    }
                    return new Tensor[] {dx};
                }, x);
    }

    /**
     * The mean of all elements, a scalar: composed as {@code scale(sum(x), 1/size)}.
     *
     * @param x the input, any shape, at least one element
     * @return the mean, a scalar tensor of shape {@code ()}
     * @throws IllegalArgumentException if {@code x} has no elements
     */
    public static Tensor mean(Tensor x) {
        require("mean", "x", x);
        if (x.size() == 0) {
            throw new IllegalArgumentException("mean: expected a non-empty tensor, got shape " + x.shapeString());
        }
        return scale(sum(x), 1f / x.size());
    }

    /**
     * The means of {@code x (m,n)} along {@code axis} (0: {@code (n,)}, 1: {@code (m,)}): composed as {@code scale(sum(x, axis), 1/count)}.
     *
     * @param x the input {@code (m,n)}
     * @param axis the axis averaged over: 0 (down the columns) or 1 (along the rows); it must not be empty
     * @return the means, {@code (n,)} for axis 0 and {@code (m,)} for axis 1
     * @throws IllegalArgumentException if {@code x} is not rank 2, {@code axis} is not 0 or 1, or the axis has size 0
     */
    public static Tensor mean(Tensor x, int axis) {
        requireRank2("mean", "x", x);
        requireAxis("mean", axis);
        int count = x.dim(axis);
        if (count == 0) {
            throw new IllegalArgumentException("mean: expected a non-empty axis " + axis + ", got shape " + x.shapeString());
        }
        return scale(sum(x, axis), 1f / count);
    }

    /**
     * The sums of {@code x}, of any rank, over {@code axes}, as Keras' {@code ops.sum(x, axis, keepdims)}:
     * each sum runs over the reduced elements in row-major order, accumulated in double and rounded
     * once. Derivative: {@code g} broadcast back over the summed axes.
     *
     * @param x        the input, any rank
     * @param axes     the axes summed over, each in {@code [-rank, rank)} (negative counts from the end),
     *                 no axis twice; none means every axis
     * @param keepdims whether the summed axes stay, with size 1 (else they are removed)
     * @return the sums
     * @throws IllegalArgumentException if an axis is out of range or repeated
     */
    public static Tensor sum(Tensor x, int[] axes, boolean keepdims) {
        require("sum", "x", x);
        boolean[] reduced = reducedAxes("sum", x, axes);
        int[] shape = x.shape();
        int[] outShape = reducedShape(shape, reduced, keepdims);
        int[] map = outputStrides(shape, reduced);
        Tensor y = Buffers.tensor(outShape);
        double[] acc = new double[y.size()];
        float[] xd = x.data();
        forEachIndex(shape, map, (i, o) -> acc[o] += xd[i]);
        float[] yd = y.data();
        for (int o = 0; o < acc.length; o++) {
            yd[o] = (float) acc[o];
        }
        return GradientTape.record("sum(x, axes=" + Arrays.toString(axesOf(reduced)) + (keepdims ? ", keepdims)" : ")"),
                "dx = g broadcast over the summed axes", y, (g, need) -> {
                    Tensor dx = Buffers.like(x);
                    float[] gd = g.data();
                    float[] d = dx.data();
                    forEachIndex(shape, map, (i, o) -> d[i] = gd[o]);
                    return new Tensor[] {dx};
                }, x);
    }

    /**
     * The means of {@code x}, of any rank, over {@code axes}, as Keras' {@code ops.mean(x, axis, keepdims)}:
     * composed as {@code scale(sum(x, axes, keepdims), 1/count)}.
     *
     * @param x        the input, any rank
     * @param axes     the axes averaged over (see {@link #sum(Tensor, int[], boolean)}); none means every axis
     * @param keepdims whether the averaged axes stay, with size 1
     * @return the means
     * @throws IllegalArgumentException if an axis is out of range or repeated, or the averaged axes hold no element
     */
    public static Tensor mean(Tensor x, int[] axes, boolean keepdims) {
        require("mean", "x", x);
        boolean[] reduced = reducedAxes("mean", x, axes);
        long count = 1;
        for (int d = 0; d < reduced.length; d++) {
            count *= reduced[d] ? x.dim(d) : 1;
        }
        if (count == 0) {
            throw new IllegalArgumentException("mean: expected non-empty axes " + Arrays.toString(axesOf(reduced))
                    + ", got shape " + x.shapeString());
        }
        return scale(sum(x, axes, keepdims), (float) (1.0 / count));
    }

    /**
     * {@code x} with its axes permuted, as Keras' {@code ops.transpose(x, axes)}: output axis {@code k} is
     * input axis {@code perm[k]}; a copy (tensors are contiguous, so the kernels can read any of them).
     * Derivative: {@code g} transposed by the inverse permutation.
     *
     * @param x    the input, any rank
     * @param perm a permutation of {@code 0 .. rank-1}; none means the axes reversed
     * @return the transposed copy
     * @throws IllegalArgumentException if {@code perm} is not a permutation of the axes of {@code x}
     */
    public static Tensor transpose(Tensor x, int... perm) {
        require("transpose", "x", x);
        Objects.requireNonNull(perm, "transpose: expected a permutation, got null");
        int r = x.rank();
        int[] p = perm.length == 0 ? new int[r] : perm.clone();
        if (perm.length == 0) {
            for (int k = 0; k < r; k++) {
                p[k] = r - 1 - k;
            }
        }
        boolean[] seen = new boolean[r];
        boolean ok = p.length == r;
        for (int k = 0; ok && k < r; k++) {
            ok = p[k] >= 0 && p[k] < r && !seen[p[k]];
            if (ok) {
                seen[p[k]] = true;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("transpose: expected a permutation of the " + r + " axes of x "
                    + x.shapeString() + ", got " + Arrays.toString(perm));
        }
        int[] shape = x.shape();
        int[] outShape = new int[r];
        int[] inStrides = stridesOf(shape);
        int[] map = new int[r];   // input stride of each output axis
        int[] inverse = new int[r];
        for (int k = 0; k < r; k++) {
            outShape[k] = shape[p[k]];
            map[k] = inStrides[p[k]];
            inverse[p[k]] = k;
        }
        Tensor y = Buffers.tensor(outShape);
        float[] xd = x.data();
        float[] yd = y.data();
        forEachIndex(outShape, map, (o, i) -> yd[o] = xd[i]);
        return GradientTape.record("transpose(x, " + Arrays.toString(p) + ")", "dx = transpose(g, inverse)", y,
                (g, need) -> new Tensor[] {transpose(g, inverse)}, x);
    }

    /**
     * {@code x} with another shape of the same size (one dimension may be {@code -1}), as a view that
     * shares {@code x}'s data. Derivative: {@code dx = g} reshaped to {@code x}'s shape.
     *
     * @param x the input, any shape
     * @param shape the new dimensions, whose product is {@code x}'s size; one of them may be {@code -1}, inferred
     * @return a view of {@code x}'s data with the new shape
     * @throws IllegalArgumentException if {@code shape} does not hold exactly {@code x}'s elements
     */
    public static Tensor reshape(Tensor x, int... shape) {
        require("reshape", "x", x);
        Objects.requireNonNull(shape, "reshape: expected a shape, got null");
        Tensor y;
        try {
            y = x.reshape(shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("reshape: expected a shape with the " + x.size() + " elements of x "
                    + x.shapeString() + ", got " + Tensor.shapeString(shape) + " (" + e.getMessage() + ")", e);
        }
        int[] xShape = x.shape();
        return GradientTape.record("reshape(x)", "dx = reshape(g, " + x.shapeString() + ")", y,
                (g, need) -> new Tensor[] {g.reshape(xShape)}, x);
    }

    // ---------------------------------------------------------------- user-defined ops

    /**
     * A differentiable op defined by the user, as {@code tf.custom_gradient}: {@code forward} computes
     * the output from the inputs (with recording off, so the ops it runs are not recorded), and the
     * tape differentiates it with {@code backward} alone. The output is returned as a new tensor object
     * (a view of what {@code forward} returned), so that it is distinct from the inputs.
     *
     * @param name     the op's name in errors and graph exports: letters, digits, {@code _} or {@code .}
     * @param forward  receives a copy of the inputs array; must return a tensor
     * @param backward the rule: gradients of the inputs from the output's gradient; the tape checks
     *                 their number and shapes
     * @param inputs   the op's inputs, at least one
     * @return the op's output: a new tensor object viewing what {@code forward} returned
     * @throws IllegalArgumentException if {@code name} is not of those characters, or {@code inputs} is empty
     * @throws IllegalStateException    if {@code forward} returns null
     */
    public static Tensor custom(String name, Function<Tensor[], Tensor> forward, CustomGradient backward,
                                Tensor... inputs) {
        if (name == null || !name.matches("[A-Za-z0-9_.]+")) {
            throw new IllegalArgumentException("custom: expected a name of letters, digits, '_' or '.', got "
                    + (name == null ? "null" : "'" + name + "'"));
        }
        Objects.requireNonNull(forward, "custom: expected a forward function, got null");
        Objects.requireNonNull(backward, "custom: expected a backward rule, got null");
        Objects.requireNonNull(inputs, "custom: expected input tensors, got a null array");
        if (inputs.length == 0) {
            throw new IllegalArgumentException("custom: expected at least one input, got none");
        }
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                throw new NullPointerException("custom: expected input tensors, got null at index " + i);
            }
        }
        Tensor[] args = inputs.clone();
        Tensor out = GradientTape.unrecorded(() -> forward.apply(args.clone()));
        if (out == null) {
            throw new IllegalStateException("custom op '" + name + "': expected forward to return a tensor, got null");
        }
        Tensor y = out.reshape(out.shape());
        StringBuilder signature = new StringBuilder(name).append('(');
        for (int i = 0; i < args.length; i++) {
            signature.append(i == 0 ? "x" : ", x").append(i);
        }
        return GradientTape.record(signature.append(')').toString(), "user-defined", y,
                (g, need) -> backward.gradients(g, y, args.clone()), args);
    }

    // ---------------------------------------------------------------- shared with ActivationOps and LossOps

    /** {@code log Σ_j e^x[j]} over {@code x[from .. from+n)}, with the maximum subtracted first. */
    static double logSumExp(float[] x, int from, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, x[from + j]);
        }
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += Math.exp(x[from + j] - max);
        }
        return max + Math.log(s);
    }

    static Kernels kernels() {
        return KernelProvider.get();
    }

    @FunctionalInterface
    interface FloatUnary {
        float apply(float x);
    }

    @FunctionalInterface
    interface FloatBinary {
        float apply(float a, float b);
    }

    /** {@code f(x)} elementwise into a new tensor of {@code x}'s shape. */
    static Tensor map(Tensor x, FloatUnary f) {
        Tensor y = Buffers.like(x);
        float[] xd = x.data();
        float[] yd = y.data();
        for (int i = 0; i < xd.length; i++) {
            yd[i] = f.apply(xd[i]);
        }
        return y;
    }

    /** {@code f(a, b)} elementwise into a new tensor of {@code a}'s shape; {@code b (n,)} repeats over rows when {@code row}. */
    static Tensor zip(Tensor a, Tensor b, boolean row, FloatBinary f) {
        Tensor c = Buffers.like(a);
        float[] ad = a.data();
        float[] bd = b.data();
        float[] cd = c.data();
        int period = row ? bd.length : ad.length;
        for (int i = 0, j = 0; i < ad.length; i++, j = j + 1 == period ? 0 : j + 1) {
            cd[i] = f.apply(ad[i], bd[j]);
        }
        return c;
    }

    static void require(String op, String name, Tensor t) {
        if (t == null) {
            throw new NullPointerException(op + ": expected a tensor for '" + name + "', got null");
        }
    }

    static void requireRank2(String op, String name, Tensor t) {
        require(op, name, t);
        if (t.rank() != 2) {
            throw new IllegalArgumentException(op + ": expected " + name + " of rank 2 (rows, cols), got shape "
                    + t.shapeString());
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The column sums {@code (n,)} of {@code g (..., n)} read as a matrix {@code (size/n, n)}: the
     * gradient of a vector broadcast over every leading axis.
     */
    private static Tensor sumRows(Tensor g) {
        int cols = g.dim(-1);
        Tensor s = Buffers.tensor(cols);
        kernels().columnSums(g.data(), s.data(), cols == 0 ? 0 : g.size() / cols, cols, false);
        return s;
    }

    /** Which axes of {@code x} {@code axes} names (all when empty); throws on a bad or repeated axis. */
    private static boolean[] reducedAxes(String op, Tensor x, int[] axes) {
        Objects.requireNonNull(axes, op + ": expected axes, got null");
        int r = x.rank();
        boolean[] reduced = new boolean[r];
        if (axes.length == 0) {
            Arrays.fill(reduced, true);
            return reduced;
        }
        for (int a : axes) {
            if (a < -r || a >= r) {
                throw new IllegalArgumentException(op + ": expected axes in [" + -r + ", " + r + ") for x "
                        + x.shapeString() + ", got " + Arrays.toString(axes));
            }
            int d = a < 0 ? a + r : a;
            if (reduced[d]) {
                throw new IllegalArgumentException(op + ": expected each axis once, got " + Arrays.toString(axes));
            }
            reduced[d] = true;
        }
        return reduced;
    }

    private static int[] axesOf(boolean[] reduced) {
        return java.util.stream.IntStream.range(0, reduced.length).filter(d -> reduced[d]).toArray();
    }

    private static int[] reducedShape(int[] shape, boolean[] reduced, boolean keepdims) {
        return java.util.stream.IntStream.range(0, shape.length).filter(d -> keepdims || !reduced[d])
                .map(d -> reduced[d] ? 1 : shape[d]).toArray();
    }

    private static int[] stridesOf(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = s;
            s *= shape[d];
        }
        return strides;
    }

    /** Per input axis, the stride of the output of a reduction (0 for a reduced axis). */
    private static int[] outputStrides(int[] shape, boolean[] reduced) {
        int[] map = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (!reduced[d]) {
                map[d] = s;
                s *= shape[d];
            }
        }
        return map;
    }

    /** A visit of flat index {@code i} of a walk and its mapped index {@code j}. */
    @FunctionalInterface
    private interface IndexPair {
        void visit(int i, int j);
    }

    /**
     * Walks every index of {@code shape} in row-major order, calling {@code f} with the flat index and
     * the index mapped by the per-axis strides {@code map}.
     */
    private static void forEachIndex(int[] shape, int[] map, IndexPair f) {
        int r = shape.length;
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        if (size == 0) {
            return;
        }
        int[] idx = new int[r];
        int j = 0;
        for (int i = 0; i < size; i++) {
            f.visit(i, j);
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    j += map[d];
                    break;
                }
                j -= map[d] * (shape[d] - 1);
                idx[d] = 0;
            }
        }
    }

    private static void requireAxis(String op, int axis) {
        if (axis != 0 && axis != 1) {
            throw new IllegalArgumentException(op + ": expected axis 0 or 1, got " + axis);
        }
    }

    private static final int SAME = 0;
    private static final int ROW = 1;
    private static final int GENERAL = 2;

    /**
     * How {@code a} and {@code b} broadcast: {@link #SAME} shapes, {@link #ROW} ({@code a (..., n)} of
     * rank 2 or more and {@code b (n,)}: the bias path of Dense and of Conv2D on NHWC maps, read as
     * {@code a (size/n, n)}) or {@link #GENERAL}; throws, naming both shapes, if they do not.
     */
    private static int layout(String op, Tensor a, Tensor b) {
        require(op, "a", a);
        require(op, "b", b);
        int[] as = a.shape();
        int[] bs = b.shape();
        if (Arrays.equals(as, bs)) {
            return SAME;
        }
        if (as.length >= 2 && bs.length == 1 && bs[0] == as[as.length - 1]) {
            return ROW;
        }
        if (broadcastShape(as, bs) == null) {
            throw new IllegalArgumentException(op + ": expected shapes that broadcast (equal or 1 on each trailing"
                    + " axis), got a " + a.shapeString() + " and b " + b.shapeString());
        }
        return GENERAL;
    }

    /** NumPy's broadcast shape of two shapes, or null if they do not broadcast. */
    private static int[] broadcastShape(int[] as, int[] bs) {
        int rank = Math.max(as.length, bs.length);
        int[] shape = new int[rank];
        for (int d = 0; d < rank; d++) {
            int ad = d < rank - as.length ? 1 : as[d - (rank - as.length)];
            int bd = d < rank - bs.length ? 1 : bs[d - (rank - bs.length)];
            if (ad != bd && ad != 1 && bd != 1) {
                return null;
            }
            shape[d] = ad == 1 ? bd : ad;
        }
        return shape;
    }

    /**
     * The strides with which an input of shape {@code in} is read when broadcast to {@code out}: its
     * row-major strides, right-aligned, and 0 on every stretched or missing axis.
     */
    private static int[] broadcastStrides(int[] in, int[] out) {
        int[] strides = new int[out.length];
        int offset = out.length - in.length;
        int stride = 1;
        for (int d = in.length - 1; d >= 0; d--) {
            strides[d + offset] = in[d] == out[d + offset] ? stride : 0;
            stride *= in[d];
        }
        return strides;
    }

    /** {@code f(a, b)} over the broadcast {@code shape}: a new tensor of that shape. */
    private static Tensor broadcastZip(Tensor a, Tensor b, int[] shape, FloatBinary f) {
        Tensor c = Buffers.tensor(shape);
        int[] as = broadcastStrides(a.shape(), shape);
        int[] bs = broadcastStrides(b.shape(), shape);
        float[] ad = a.data();
        float[] bd = b.data();
        float[] cd = c.data();
        int rank = shape.length;
        int[] index = new int[rank];
        int ai = 0;
        int bi = 0;
        for (int i = 0; i < cd.length; i++) {
            cd[i] = f.apply(ad[ai], bd[bi]);
            // odometer step over the output's row-major index, moving both read positions with it
            for (int d = rank - 1; d >= 0; d--) {
                ai += as[d];
                bi += bs[d];
                if (++index[d] < shape[d]) {
                    break;
                }
                ai -= as[d] * shape[d];
                bi -= bs[d] * shape[d];
                index[d] = 0;
            }
        }
        return c;
    }

    /**
     * {@code g} summed over the axes on which an input of shape {@code target} was stretched to
     * {@code g}'s shape: the gradient of that input. Returns {@code g} itself when nothing was stretched.
     */
    private static Tensor sumTo(Tensor g, int[] target) {
        int[] shape = g.shape();
        if (Arrays.equals(shape, target)) {
            return g;
        }
        int[] ts = broadcastStrides(target, shape);
        Tensor out = Buffers.tensor(target);
        double[] acc = new double[out.size()];
        float[] gd = g.data();
        int rank = shape.length;
        int[] index = new int[rank];
        int ti = 0;
        for (int i = 0; i < gd.length; i++) {
            acc[ti] += gd[i];
            for (int d = rank - 1; d >= 0; d--) {
                ti += ts[d];
                if (++index[d] < shape[d]) {
                    break;
                }
                ti -= ts[d] * shape[d];
                index[d] = 0;
            }
        }
        float[] od = out.data();
        for (int i = 0; i < od.length; i++) {
            od[i] = (float) acc[i];
        }
        return out;
    }
}
