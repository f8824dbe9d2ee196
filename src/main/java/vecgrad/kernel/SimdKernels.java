package vecgrad.kernel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels on {@code jdk.incubator.vector}, bit for bit equal to {@link ScalarKernels}: matrix
 * products by {@link SimdGemm} on {@link Parallel} threads, the optimizer updates and the finiteness scan
 * here, split over the same threads when large, the other elementwise kernels here on one thread.
 * Loaded by name from {@link KernelProvider} after the module check.
 */
final class SimdKernels implements Kernels {

    /*
     * Every elementwise kernel is its scalar twin's loop, a vector at a time to loopBound, then the
     * twin's own range method for the rest. Each lane performs the twin's operations in the twin's
     * order (a multiply then an add where the twin has no fma; max(x, 0) as a compare and blend so
     * that NaN and -0 come out as the twin's `x > 0 ? x : 0`), so the results are the same bits.
     */

    /** Products with fewer multiply-adds stay on one thread; about 3 µs of work here (bench/RESULTS.md). */
    static final long PARALLEL_WORK = 1L << 18;

    private final SimdWidth width;
    private final SimdGemm gemm;
    private final String name;
    /** Max pooling's per-image op at this width, made once so that a call allocates nothing. */
    private final ImageSplit.Op maxPoolOp;

    /**
     * @param vectorBits 0 for the CPU's preferred width, else 128, 256 or 512
     * @throws UnsupportedOperationException if the CPU's widest float vector is narrower than asked
     */
    SimdKernels(int vectorBits) {
        this(vectorBits, PARALLEL_WORK);
    }

    /** As {@link #SimdKernels(int)}, splitting products of at least {@code parallelWork} multiply-adds over threads. */
    SimdKernels(int vectorBits, long parallelWork) {
        this.width = SimdWidth.of(vectorBits);
        this.gemm = new SimdGemm(width, parallelWork);
        this.name = "simd-" + width.species().vectorBitSize();
        this.maxPoolOp = SimdPooling.maxPoolOp(width);
    }

    @Override
    public void maxPool(float[] x, float[] y, float[] argmax, Im2col.Geometry g) {
        Pooling.maxPoolSimd(x, y, argmax, g, maxPoolOp);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void matmul(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
        KernelChecks.matmul("matmul", a, (long) m * k, b, (long) k * n, c, m, k, n);
        gemm.multiply(SimdGemm.AB, a, b, c, m, k, n, accumulate);
    }

    @Override
    public void matmulTransA(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
        KernelChecks.matmul("matmulTransA", a, (long) k * m, b, (long) k * n, c, m, k, n);
        gemm.multiply(SimdGemm.ATB, a, b, c, m, k, n, accumulate);
    }

    @Override
    public void matmulTransB(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
        KernelChecks.matmul("matmulTransB", a, (long) m * k, b, (long) n * k, c, m, k, n);
        gemm.multiply(SimdGemm.ABT, a, b, c, m, k, n, accumulate);
    }

    @Override
    public void addRowVector(float[] x, float[] bias, float[] out, int rows, int cols) {
        KernelChecks.addRowVector(x, bias, out, rows, cols);
        RangeTask t = splitElementwise(ADD_ROW, rows, (long) rows * cols);
        if (t == null) {
            addRowRange(x, bias, out, cols, 0, rows);
            return;
        }
        t.arrays(x, bias, out, null, null);
        t.i0 = cols;
        t.runSplit();
    }

    /** Rows {@code [from, to)} of {@link #addRowVector}. */
    private void addRowRange(float[] x, float[] bias, float[] out, int cols, int from, int to) {
        VectorSpecies<Float> s = width.species();
        int bound = s.loopBound(cols);
        for (int i = from; i < to; i++) {
            int r = i * cols;
            for (int j = 0; j < bound; j += s.length()) {
                FloatVector.fromArray(s, x, r + j).add(FloatVector.fromArray(s, bias, j)).intoArray(out, r + j);
            }
            ScalarKernels.addRow(x, bias, out, r, bound, cols);
        }
    }

    @Override
    public void relu(float[] x, float[] out, int n) {
        KernelChecks.array("relu", "x", x, n);
        KernelChecks.array("relu", "out", out, n);
        RangeTask t = splitElementwise(RELU, n, n);
        if (t == null) {
            reluRange(x, out, 0, n);
            return;
        }
        t.arrays(x, out, null, null, null);
        t.runSplit();
    }

    private void reluRange(float[] x, float[] out, int from, int to) {
        VectorSpecies<Float> s = width.species();
        FloatVector zero = FloatVector.zero(s);
        int bound = from + s.loopBound(to - from);
        for (int i = from; i < bound; i += s.length()) {
            FloatVector v = FloatVector.fromArray(s, x, i);
            v.max(zero).intoArray(out, i);     // Java's max: NaN stays NaN, max(-0, +0) is +0
        }
        ScalarKernels.relu(x, out, bound, to);
    }

    @Override
    public void reluBackward(float[] x, float[] grad, float[] out, int n) {
        KernelChecks.array("reluBackward", "x", x, n);
        KernelChecks.array("reluBackward", "grad", grad, n);
        KernelChecks.array("reluBackward", "out", out, n);
        RangeTask t = splitElementwise(RELU_BACKWARD, n, n);
        if (t == null) {
            reluBackwardRange(x, grad, out, 0, n);
            return;
        }
        t.arrays(x, grad, out, null, null);
        t.runSplit();
    }

    private void reluBackwardRange(float[] x, float[] grad, float[] out, int from, int to) {
        VectorSpecies<Float> s = width.species();
        FloatVector zero = FloatVector.zero(s);
        int bound = from + s.loopBound(to - from);
        for (int i = from; i < bound; i += s.length()) {
            FloatVector g = FloatVector.fromArray(s, grad, i);
            zero.blend(g, FloatVector.fromArray(s, x, i).compare(VectorOperators.GT, 0f)).intoArray(out, i);
        }
        ScalarKernels.reluBackward(x, grad, out, bound, to);
    }

    @Override
    public void scale(float alpha, float[] x, float[] out, int n) {
        KernelChecks.array("scale", "x", x, n);
        KernelChecks.array("scale", "out", out, n);
        RangeTask t = splitElementwise(SCALE, n, n);
        if (t == null) {
            scaleRange(alpha, x, out, 0, n);
            return;
        }
        t.arrays(x, out, null, null, null);
        t.f0 = alpha;
        t.runSplit();
    }

    private void scaleRange(float alpha, float[] x, float[] out, int from, int to) {
        VectorSpecies<Float> s = width.species();
        int bound = from + s.loopBound(to - from);
        for (int i = from; i < bound; i += s.length()) {
            FloatVector.fromArray(s, x, i).mul(alpha).intoArray(out, i);
        }
        ScalarKernels.scale(alpha, x, out, bound, to);
    }

    @Override
    public void axpy(float alpha, float[] x, float[] y, int n) {
        KernelChecks.array("axpy", "x", x, n);
        KernelChecks.array("axpy", "y", y, n);
        RangeTask t = splitElementwise(AXPY, n, n);
        if (t == null) {
            axpyRange(alpha, x, y, 0, n);
            return;
        }
        t.arrays(x, y, null, null, null);
        t.f0 = alpha;
        t.runSplit();
    }

    private void axpyRange(float alpha, float[] x, float[] y, int from, int to) {
        VectorSpecies<Float> s = width.species();
        int bound = from + s.loopBound(to - from);
        for (int i = from; i < bound; i += s.length()) {
            FloatVector.fromArray(s, y, i).add(FloatVector.fromArray(s, x, i).mul(alpha)).intoArray(y, i);
        }
        ScalarKernels.axpy(alpha, x, y, bound, to);
    }

    @Override
    public void add(float[] a, float[] b, float[] out, int n) {
        KernelChecks.array("add", "a", a, n);
        KernelChecks.array("add", "b", b, n);
        KernelChecks.array("add", "out", out, n);
        RangeTask t = splitElementwise(ADD, n, n);
        if (t == null) {
            addRange(a, b, out, 0, n);
            return;
        }
        t.arrays(a, b, out, null, null);
        t.runSplit();
    }

    private void addRange(float[] a, float[] b, float[] out, int from, int to) {
        VectorSpecies<Float> s = width.species();
        int bound = from + s.loopBound(to - from);
        for (int i = from; i < bound; i += s.length()) {
            FloatVector.fromArray(s, a, i).add(FloatVector.fromArray(s, b, i)).intoArray(out, i);
        }
        ScalarKernels.add(a, b, out, bound, to);
    }

    @Override
    public void mul(float[] a, float[] b, float[] out, int n) {
        KernelChecks.array("mul", "a", a, n);
        KernelChecks.array("mul", "b", b, n);
        KernelChecks.array("mul", "out", out, n);
        RangeTask t = splitElementwise(MUL, n, n);
        if (t == null) {
            mulRange(a, b, out, 0, n);
            return;
        }
        t.arrays(a, b, out, null, null);
        t.runSplit();
    }

    private void mulRange(float[] a, float[] b, float[] out, int from, int to) {
        VectorSpecies<Float> s = width.species();
        int bound = from + s.loopBound(to - from);
        for (int i = from; i < bound; i += s.length()) {
            FloatVector.fromArray(s, a, i).mul(FloatVector.fromArray(s, b, i)).intoArray(out, i);
        }
        ScalarKernels.mul(a, b, out, bound, to);
    }

    @Override
    public void columnSums(float[] x, float[] out, int rows, int cols, boolean accumulate) {
        KernelChecks.columnSums(x, out, rows, cols);
        RangeTask t = splitElementwise(COLUMN_SUMS, cols, (long) rows * cols);
        if (t == null) {
            columnSumsRange(x, out, rows, cols, accumulate, 0, cols);
            return;
        }
        t.arrays(x, out, null, null, null);
        t.i0 = rows;
        t.i1 = cols;
        t.flag = accumulate;
        t.runSplit();
    }

    /**
     * Columns {@code [from, to)} of {@link #columnSums}: up to four vectors of columns at a time, down
     * all rows, so that a row's cache lines are read once per four vectors rather than once per vector.
     * Each column is still the twin's sum in row order.
     */
    private void columnSumsRange(float[] x, float[] out, int rows, int cols, boolean accumulate, int from, int to) {
        VectorSpecies<Float> s = width.species();
        int l = s.length();
        int bound = from + s.loopBound(to - from);
        int j = from;
        for (; j + 4 * l <= bound; j += 4 * l) {
            FloatVector s0 = accumulate ? FloatVector.fromArray(s, out, j) : FloatVector.zero(s);
            FloatVector s1 = accumulate ? FloatVector.fromArray(s, out, j + l) : FloatVector.zero(s);
            FloatVector s2 = accumulate ? FloatVector.fromArray(s, out, j + 2 * l) : FloatVector.zero(s);
            FloatVector s3 = accumulate ? FloatVector.fromArray(s, out, j + 3 * l) : FloatVector.zero(s);
            for (int i = 0; i < rows; i++) {
                int r = i * cols + j;
                s0 = s0.add(FloatVector.fromArray(s, x, r));
                s1 = s1.add(FloatVector.fromArray(s, x, r + l));
                s2 = s2.add(FloatVector.fromArray(s, x, r + 2 * l));
                s3 = s3.add(FloatVector.fromArray(s, x, r + 3 * l));
            }
            s0.intoArray(out, j);
            s1.intoArray(out, j + l);
            s2.intoArray(out, j + 2 * l);
            s3.intoArray(out, j + 3 * l);
        }
        for (; j < bound; j += l) {
            FloatVector sum = accumulate ? FloatVector.fromArray(s, out, j) : FloatVector.zero(s);
            for (int i = 0; i < rows; i++) {
                sum = sum.add(FloatVector.fromArray(s, x, i * cols + j));
            }
            sum.intoArray(out, j);
        }
        ScalarKernels.columnSums(x, out, rows, cols, accumulate, bound, to);
    }

    /** Delegates to the twin: at the network's 10 columns a row is less than one vector. */
    @Override
    public void softmaxRows(float[] x, float[] out, int rows, int cols) {
        ScalarKernels.INSTANCE.softmaxRows(x, out, rows, cols);
    }

    /** Delegates to the twin: at the network's 10 columns a row is less than one vector. */
    @Override
    public void argmaxRows(float[] x, int[] out, int rows, int cols) {
        ScalarKernels.INSTANCE.argmaxRows(x, out, rows, cols);
    }

    /*
     * The optimizer updates: each lane performs its scalar twin's operations in the twin's order
     * (ScalarKernels.sgdUpdate, ...), multiplies and adds apart, the optional slots (null) and the weight
     * decay (0 = off) tested once per vector, as the twin tests them once per element.
     *
     * Every element of an update (and of the finiteness scan) is independent, so a variable of at
     * least PARALLEL_ELEMENTS is split over the Parallel threads into ranges of whole vectors
     * (RangeTask): each element still gets exactly the twin's arithmetic, so the bits do not depend on
     * the split, the thread count or the width. Each public method checks its arguments, then runs its
     * range method (xxxRange) on [0, n) or hands the ranges to the workers.
     */

    /**
     * Updates and scans of at least this many elements are split over threads: chosen, not tuned (about
     * 10 µs of Adam on one thread against a hand-off under a microsecond; bench/RESULTS.md, "The whole
     * training step", could not resolve the difference on a loaded machine).
     */
    static final int PARALLEL_ELEMENTS = 1 << 14;
    /** The fewest elements per part, so that a hand-off (about a microsecond) stays small beside the part's work. */
    private static final int MIN_PART = 1 << 12;
    /** Several parts per thread: the parts are claimed, so a worker the machine holds back delays fewer elements. */
    private static final int PARTS_PER_THREAD = 2;

    private static final int SGD = 0;
    private static final int ADAM = 1;
    private static final int RMSPROP = 2;
    private static final int ADAGRAD = 3;
    private static final int NADAM = 4;
    private static final int ADAMAX = 5;
    private static final int NON_FINITE = 6;
    private static final int RELU = 7;
    private static final int RELU_BACKWARD = 8;
    private static final int SCALE = 9;
    private static final int AXPY = 10;
    private static final int ADD = 11;
    private static final int MUL = 12;
    private static final int ADD_ROW = 13;
    private static final int COLUMN_SUMS = 14;

    /**
     * Elementwise kernels (relu, add, a bias row, column sums, ...) of at least this many elements are
     * split over threads. They are memory-bound passes, so only large tensors gain: a convolution's
     * activations (millions of elements) do, an MLP's (128×256 = 32K) stay on one thread.
     */
    static final int PARALLEL_ELEMENTWISE = 1 << 16;

    /** The calling thread's task object, reused: a split update allocates nothing. */
    private static final ThreadLocal<RangeTask> RANGE_TASK = ThreadLocal.withInitial(RangeTask::new);

    /**
     * False keeps every update and scan on the calling thread: the A/B switch of the split's
     * benchmark (bench/.../SplitUpdatesAb.java), which flips it between blocks of steps in one JVM so
     * that both paths see the same machine. Results are the same bits either way.
     */
    static volatile boolean splitUpdates = true;

    /** The task for a split of {@code n} elements, or null when {@code n} is worth one thread only. */
    private RangeTask split(int op, int n) {
        if (n < PARALLEL_ELEMENTS || Parallel.threads() < 2 || !splitUpdates) {
            return null;
        }
        return task(op, n, n);
    }

    /**
     * The task for an elementwise kernel over {@code units} (elements, rows or columns) of {@code work}
     * elements in all, or null when that is worth one thread only.
     */
    private RangeTask splitElementwise(int op, int units, long work) {
        if (work < PARALLEL_ELEMENTWISE || Parallel.threads() < 2) {
            return null;
        }
        return task(op, units, work);
    }

    private RangeTask task(int op, int n, long work) {
        RangeTask t = RANGE_TASK.get();
        t.kernels = this;
        t.op = op;
        t.n = n;
        t.work = work;
        return t;
    }

    /** Keras' weight decay of a vector of weights, as {@link ScalarKernels#decay}. */
    private static FloatVector decay(FloatVector w, float lr, float weightDecay) {
        return weightDecay != 0f ? w.sub(w.mul(weightDecay).mul(lr)) : w;
    }

    @Override
    public void sgdUpdate(float[] w, float[] g, float[] u, int n, float lr, float momentum, boolean nesterov,
                          float weightDecay) {
        KernelChecks.update("sgdUpdate", w, g, n);
        KernelChecks.optionalArray("sgdUpdate", "u", u, n);
        RangeTask t = split(SGD, n);
        if (t == null) {
            sgdRange(w, g, u, 0, n, lr, momentum, nesterov, weightDecay);
            return;
        }
        t.arrays(w, g, u, null, null);
        t.f0 = lr;
        t.f1 = momentum;
        t.flag = nesterov;
        t.f2 = weightDecay;
        t.runSplit();
    }

    private void sgdRange(float[] w, float[] g, float[] u, int from, int to, float lr, float momentum,
                          boolean nesterov, float weightDecay) {
        VectorSpecies<Float> s = width.species();
        int bound = from + s.loopBound(to - from);
        for (int i = from; i < bound; i += s.length()) {
            FloatVector wi = decay(FloatVector.fromArray(s, w, i), lr, weightDecay);
            FloatVector gi = FloatVector.fromArray(s, g, i);
            if (u == null) {
                wi.sub(gi.mul(lr)).intoArray(w, i);
                continue;
            }
            FloatVector ui = FloatVector.fromArray(s, u, i).mul(momentum).sub(gi.mul(lr));
            ui.intoArray(u, i);
            (nesterov ? wi.add(ui.mul(momentum).sub(gi.mul(lr))) : wi.add(ui)).intoArray(w, i);
        }
        ScalarKernels.sgdUpdate(w, g, u, bound, to, lr, momentum, nesterov, weightDecay);
    }

    @Override
    public void adamUpdate(float[] w, float[] g, float[] m, float[] v, float[] vHat, int n, float alpha,
                           float oneMinusBeta1, float oneMinusBeta2, float epsilon, float lr, float weightDecay) {
        KernelChecks.update("adamUpdate", w, g, n);
        KernelChecks.array("adamUpdate", "m", m, n);
        KernelChecks.array("adamUpdate", "v", v, n);
        KernelChecks.optionalArray("adamUpdate", "vHat", vHat, n);
        RangeTask t = split(ADAM, n);
        if (t == null) {
            adamRange(w, g, m, v, vHat, 0, n, alpha, oneMinusBeta1, oneMinusBeta2, epsilon, lr, weightDecay);
            return;
        }
        t.arrays(w, g, m, v, vHat);
        t.f0 = alpha;
        t.f1 = oneMinusBeta1;
        t.f2 = oneMinusBeta2;
        t.f3 = epsilon;
        t.f4 = lr;
        t.f5 = weightDecay;
        t.runSplit();
    }

    private void adamRange(float[] w, float[] g, float[] m, float[] v, float[] vHat, int from, int to, float alpha,
                           float oneMinusBeta1, float oneMinusBeta2, float epsilon, float lr, float weightDecay) {
        VectorSpecies<Float> s = width.species();
        int bound = from + s.loopBound(to - from);
        for (int i = from; i < bound; i += s.length()) {
            FloatVector wi = decay(FloatVector.fromArray(s, w, i), lr, weightDecay);
            FloatVector gi = FloatVector.fromArray(s, g, i);
            FloatVector mOld = FloatVector.fromArray(s, m, i);
            FloatVector vOld = FloatVector.fromArray(s, v, i);
            FloatVector mi = mOld.add(gi.sub(mOld).mul(oneMinusBeta1));
            FloatVector vi = vOld.add(gi.mul(gi).sub(vOld).mul(oneMinusBeta2));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            if (vHat != null) {
                vi = FloatVector.fromArray(s, vHat, i).max(vi);
                vi.intoArray(vHat, i);
            }
            // (float) Math.sqrt of a float is the correctly rounded float square root, as the lanewise SQRT.
            FloatVector step = mi.mul(alpha).div(vi.lanewise(VectorOperators.SQRT).add(epsilon));
            wi.sub(step).intoArray(w, i);
        }
        ScalarKernels.adamUpdate(w, g, m, v, vHat, bound, to, alpha, oneMinusBeta1, oneMinusBeta2, epsilon, lr,
                weightDecay);
    }

    @Override
    public void rmspropUpdate(float[] w, float[] g, float[] v, float[] a, float[] p, int n, float lr, float rho,
                              float oneMinusRho, float momentum, float epsilon, float weightDecay) {
        KernelChecks.update("rmspropUpdate", w, g, n);
        KernelChecks.array("rmspropUpdate", "v", v, n);
        KernelChecks.optionalArray("rmspropUpdate", "a", a, n);
        KernelChecks.optionalArray("rmspropUpdate", "p", p, n);
        RangeTask t = split(RMSPROP, n);
        if (t == null) {
            rmspropRange(w, g, v, a, p, 0, n, lr, rho, oneMinusRho, momentum, epsilon, weightDecay);
            return;
        }
        t.arrays(w, g, v, a, p);
        t.f0 = lr;
        t.f1 = rho;
        t.f2 = oneMinusRho;
        t.f3 = momentum;
        t.f4 = epsilon;
        t.f5 = weightDecay;
        t.runSplit();
    }

    private void rmspropRange(float[] w, float[] g, float[] v, float[] a, float[] p, int from, int to, float lr,
                              float rho, float oneMinusRho, float momentum, float epsilon, float weightDecay) {
        VectorSpecies<Float> s = width.species();
        int bound = from + s.loopBound(to - from);
        for (int i = from; i < bound; i += s.length()) {
            FloatVector wi = decay(FloatVector.fromArray(s, w, i), lr, weightDecay);
            FloatVector gi = FloatVector.fromArray(s, g, i);
            FloatVector vi = FloatVector.fromArray(s, v, i).mul(rho).add(gi.mul(gi).mul(oneMinusRho));
            vi.intoArray(v, i);
            FloatVector d;
            if (a != null) {
                FloatVector ai = FloatVector.fromArray(s, a, i).mul(rho).add(gi.mul(oneMinusRho));
                ai.intoArray(a, i);
                d = vi.sub(ai.mul(ai)).add(epsilon);
            } else {
                d = vi.add(epsilon);
            }
            FloatVector step = gi.mul(lr).div(d.lanewise(VectorOperators.SQRT));
            if (p != null) {
                step = FloatVector.fromArray(s, p, i).mul(momentum).add(step);
                step.intoArray(p, i);
            }
            wi.sub(step).intoArray(w, i);
        }
        ScalarKernels.rmspropUpdate(w, g, v, a, p, bound, to, lr, rho, oneMinusRho, momentum, epsilon, weightDecay);
    }

    @Override
    public void adagradUpdate(float[] w, float[] g, float[] acc, int n, float lr, float epsilon, float weightDecay) {
        KernelChecks.update("adagradUpdate", w, g, n);
        KernelChecks.array("adagradUpdate", "acc", acc, n);
        RangeTask t = split(ADAGRAD, n);
        if (t == null) {
            adagradRange(w, g, acc, 0, n, lr, epsilon, weightDecay);
            return;
        }
        t.arrays(w, g, acc, null, null);
        t.f0 = lr;
        t.f1 = epsilon;
        t.f2 = weightDecay;
        t.runSplit();
    }

    private void adagradRange(float[] w, float[] g, float[] acc, int from, int to, float lr, float epsilon,
                              float weightDecay) {
        VectorSpecies<Float> s = width.species();
        int bound = from + s.loopBound(to - from);
        for (int i = from; i < bound; i += s.length()) {
            FloatVector wi = decay(FloatVector.fromArray(s, w, i), lr, weightDecay);
            FloatVector gi = FloatVector.fromArray(s, g, i);
            FloatVector ai = FloatVector.fromArray(s, acc, i).add(gi.mul(gi));
            ai.intoArray(acc, i);
            wi.sub(gi.mul(lr).div(ai.add(epsilon).lanewise(VectorOperators.SQRT))).intoArray(w, i);
        }
        ScalarKernels.adagradUpdate(w, g, acc, bound, to, lr, epsilon, weightDecay);
    }

    @Override
    public void nadamUpdate(float[] w, float[] g, float[] m, float[] v, int n, float lr, float oneMinusBeta1,
                            float oneMinusBeta2, float uNext, float oneMinusUProductNext, float oneMinusU,
                            float oneMinusUProduct, float oneMinusBeta2Power, float epsilon, float weightDecay) {
        KernelChecks.update("nadamUpdate", w, g, n);
        KernelChecks.array("nadamUpdate", "m", m, n);
        KernelChecks.array("nadamUpdate", "v", v, n);
        RangeTask t = split(NADAM, n);
        if (t == null) {
            nadamRange(w, g, m, v, 0, n, lr, oneMinusBeta1, oneMinusBeta2, uNext, oneMinusUProductNext, oneMinusU,
                    oneMinusUProduct, oneMinusBeta2Power, epsilon, weightDecay);
            return;
        }
        t.arrays(w, g, m, v, null);
        t.f0 = lr;
        t.f1 = oneMinusBeta1;
        t.f2 = oneMinusBeta2;
        t.f3 = uNext;
        t.f4 = oneMinusUProductNext;
        t.f5 = oneMinusU;
        t.f6 = oneMinusUProduct;
        t.f7 = oneMinusBeta2Power;
        t.f8 = epsilon;
        t.f9 = weightDecay;
        t.runSplit();
    }

    private void nadamRange(float[] w, float[] g, float[] m, float[] v, int from, int to, float lr,
                            float oneMinusBeta1, float oneMinusBeta2, float uNext, float oneMinusUProductNext,
                            float oneMinusU, float oneMinusUProduct, float oneMinusBeta2Power, float epsilon,
                            float weightDecay) {
        VectorSpecies<Float> s = width.species();
        int bound = from + s.loopBound(to - from);
        for (int i = from; i < bound; i += s.length()) {
            FloatVector wi = decay(FloatVector.fromArray(s, w, i), lr, weightDecay);
            FloatVector gi = FloatVector.fromArray(s, g, i);
            FloatVector mOld = FloatVector.fromArray(s, m, i);
            FloatVector vOld = FloatVector.fromArray(s, v, i);
            FloatVector mi = mOld.add(gi.sub(mOld).mul(oneMinusBeta1));
            FloatVector vi = vOld.add(gi.mul(gi).sub(vOld).mul(oneMinusBeta2));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector mHat = mi.mul(uNext).div(oneMinusUProductNext).add(gi.mul(oneMinusU).div(oneMinusUProduct));
            FloatVector vHat = vi.div(oneMinusBeta2Power);
            wi.sub(mHat.mul(lr).div(vHat.lanewise(VectorOperators.SQRT).add(epsilon))).intoArray(w, i);
        }
        ScalarKernels.nadamUpdate(w, g, m, v, bound, to, lr, oneMinusBeta1, oneMinusBeta2, uNext, oneMinusUProductNext,
                oneMinusU, oneMinusUProduct, oneMinusBeta2Power, epsilon, weightDecay);
    }

    @Override
    public void adamaxUpdate(float[] w, float[] g, float[] m, float[] u, int n, float lr, float oneMinusBeta1,
                             float beta2, float oneMinusBeta1Power, float epsilon, float weightDecay) {
        KernelChecks.update("adamaxUpdate", w, g, n);
        KernelChecks.array("adamaxUpdate", "m", m, n);
        KernelChecks.array("adamaxUpdate", "u", u, n);
        RangeTask t = split(ADAMAX, n);
        if (t == null) {
            adamaxRange(w, g, m, u, 0, n, lr, oneMinusBeta1, beta2, oneMinusBeta1Power, epsilon, weightDecay);
            return;
        }
        t.arrays(w, g, m, u, null);
        t.f0 = lr;
        t.f1 = oneMinusBeta1;
        t.f2 = beta2;
        t.f3 = oneMinusBeta1Power;
        t.f4 = epsilon;
        t.f5 = weightDecay;
        t.runSplit();
    }

    private void adamaxRange(float[] w, float[] g, float[] m, float[] u, int from, int to, float lr,
                             float oneMinusBeta1, float beta2, float oneMinusBeta1Power, float epsilon,
                             float weightDecay) {
        VectorSpecies<Float> s = width.species();
        int bound = from + s.loopBound(to - from);
        for (int i = from; i < bound; i += s.length()) {
            FloatVector wi = decay(FloatVector.fromArray(s, w, i), lr, weightDecay);
            FloatVector gi = FloatVector.fromArray(s, g, i);
            FloatVector mOld = FloatVector.fromArray(s, m, i);
            FloatVector mi = mOld.add(gi.sub(mOld).mul(oneMinusBeta1));
            FloatVector ui = FloatVector.fromArray(s, u, i).mul(beta2).max(gi.abs());
            mi.intoArray(m, i);
            ui.intoArray(u, i);
            wi.sub(mi.mul(lr).div(ui.add(epsilon).mul(oneMinusBeta1Power))).intoArray(w, i);
        }
        ScalarKernels.adamaxUpdate(w, g, m, u, bound, to, lr, oneMinusBeta1, beta2, oneMinusBeta1Power, epsilon,
                weightDecay);
    }

    @Override
    public void unsignedBytesToFloats(byte[] src, int srcOff, float[] dst, int dstOff, int n, float divisor) {
        KernelChecks.unsignedBytesToFloats(src, srcOff, dst, dstOff, n);
        VectorSpecies<Byte> bytes = width.bytesPerLane();
        int bound = 0;
        if (bytes != null) {
            // A lane: sign-extended to an int, masked back to 0..255, converted and divided, as the twin.
            VectorSpecies<Float> s = width.species();
            VectorSpecies<Integer> ints = width.ints();
            bound = s.loopBound(n);
            for (int i = 0; i < bound; i += s.length()) {
                IntVector wide = (IntVector) ByteVector.fromArray(bytes, src, srcOff + i)
                        .convertShape(VectorOperators.B2I, ints, 0);
                FloatVector f = (FloatVector) wide.and(0xFF).convertShape(VectorOperators.I2F, s, 0);
                f.div(divisor).intoArray(dst, dstOff + i);
            }
        }
        ScalarKernels.unsignedBytesToFloats(src, srcOff, dst, dstOff, bound, n, divisor);
    }

    @Override
    public int firstNonFinite(float[] x, int n) {
        KernelChecks.array("firstNonFinite", "x", x, n);
        RangeTask t = split(NON_FINITE, n);
        if (t == null) {
            return nonFiniteRange(x, 0, n);
        }
        t.arrays(x, null, null, null, null);
        return t.runSplit();
    }

    private int nonFiniteRange(float[] x, int from, int to) {
        VectorSpecies<Float> s = width.species();
        int bound = from + s.loopBound(to - from);
        for (int i = from; i < bound; i += s.length()) {
            FloatVector v = FloatVector.fromArray(s, x, i);
            VectorMask<Float> bad = v.sub(v).compare(VectorOperators.NE, 0f);
            if (bad.anyTrue()) {
                return i + bad.firstTrue();
            }
        }
        return ScalarKernels.firstNonFinite(x, bound, to);
    }

    /**
     * One update or scan split into ranges of whole vectors: part {@code p} of {@code parts} runs the
     * operation's range method on its range. The fields hold the call's arguments by position (the
     * public method names them); reused per calling thread, cleared after each call.
     */
    private static final class RangeTask implements Parallel.Task {
        private SimdKernels kernels;
        private int op;
        /** The units split: elements, or rows (ADD_ROW), or columns (COLUMN_SUMS). */
        private int n;
        /** The elements the call touches: with the part count, sets the fewest elements per part. */
        private long work;
        private int i0;
        private int i1;
        private float[] a0;
        private float[] a1;
        private float[] a2;
        private float[] a3;
        private float[] a4;
        private float f0;
        private float f1;
        private float f2;
        private float f3;
        private float f4;
        private float f5;
        private float f6;
        private float f7;
        private float f8;
        private float f9;
        private boolean flag;
        /** firstNonFinite: each part's first bad index, or -1; grows with the part count only. */
        private int[] found = new int[0];

        void arrays(float[] x0, float[] x1, float[] x2, float[] x3, float[] x4) {
            a0 = x0;
            a1 = x1;
            a2 = x2;
            a3 = x3;
            a4 = x4;
        }

        /** Runs the parts over the threads; returns firstNonFinite's answer (-1 for the updates). */
        int runSplit() {
            int lanes = kernels.width.species().length();
            long units = op == ADD_ROW ? n : (n + lanes - 1) / lanes;
            int parts = (int) Math.max(1, Math.min(Math.min(Parallel.threads() * PARTS_PER_THREAD, work / MIN_PART),
                    units));
            if (found.length < parts) {
                found = new int[parts];
            }
            try {
                Parallel.run(this, parts);
                // The lowest part that found one holds the first bad index: parts are ranges in order.
                for (int p = 0; p < parts; p++) {
                    if (found[p] >= 0) {
                        return found[p];
                    }
                }
                return -1;
            } finally {
                kernels = null;
                arrays(null, null, null, null, null);
            }
        }

        @Override
        public void run(int part, int parts) {
            // Ranges of whole vectors of elements or columns, or of whole rows.
            int align = op == ADD_ROW ? 1 : kernels.width.species().length();
            long units = (n + align - 1) / align;
            int from = (int) (units * part / parts) * align;
            int to = (int) Math.min(n, units * (part + 1) / parts * align);
            found[part] = -1;
            switch (op) {
                case SGD -> kernels.sgdRange(a0, a1, a2, from, to, f0, f1, flag, f2);
                case ADAM -> kernels.adamRange(a0, a1, a2, a3, a4, from, to, f0, f1, f2, f3, f4, f5);
                case RMSPROP -> kernels.rmspropRange(a0, a1, a2, a3, a4, from, to, f0, f1, f2, f3, f4, f5);
                case ADAGRAD -> kernels.adagradRange(a0, a1, a2, from, to, f0, f1, f2);
                case NADAM -> kernels.nadamRange(a0, a1, a2, a3, from, to, f0, f1, f2, f3, f4, f5, f6, f7, f8, f9);
                case ADAMAX -> kernels.adamaxRange(a0, a1, a2, a3, from, to, f0, f1, f2, f3, f4, f5);
                case NON_FINITE -> found[part] = kernels.nonFiniteRange(a0, from, to);
                case RELU -> kernels.reluRange(a0, a1, from, to);
                case RELU_BACKWARD -> kernels.reluBackwardRange(a0, a1, a2, from, to);
                case SCALE -> kernels.scaleRange(f0, a0, a1, from, to);
                case AXPY -> kernels.axpyRange(f0, a0, a1, from, to);
                case ADD -> kernels.addRange(a0, a1, a2, from, to);
                case MUL -> kernels.mulRange(a0, a1, a2, from, to);
                case ADD_ROW -> kernels.addRowRange(a0, a1, a2, i0, from, to);
                case COLUMN_SUMS -> kernels.columnSumsRange(a0, a1, i0, i1, flag, from, to);
                default -> throw new IllegalStateException("unknown operation " + op);
            }
        }
    }
}
