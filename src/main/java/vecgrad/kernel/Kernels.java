package vecgrad.kernel;

/**
 * The numeric kernels of the library, on row-major {@code float[]} arrays.
 *
 * <p>Contract shared by every implementation:
 * <ul>
 *   <li>Shapes are passed explicitly and written on each method as {@code name (rows,cols)}; arrays
 *       may be longer than the shape needs (reused buffers), never shorter. Sizes are checked on entry
 *       ({@link KernelChecks}) before any work, with a message naming the array and both sizes.</li>
 *   <li>Unless a method says otherwise, the output may be the same array as an input (in place), but
 *       must not otherwise overlap the inputs.</li>
 *   <li>Matrix products compute every output element as one {@code fma} chain over the summed index in
 *       increasing order, starting from 0 (or from the old value when accumulating). That order is the
 *       specification: the SIMD kernels keep it, so they match {@link ScalarKernels} bit for bit and
 *       give identical results for any blocking and any thread count. Work is split across threads by
 *       output rows or columns, never along the summed dimension.</li>
 *   <li>Kernels allocate nothing per call in their hot loops.</li>
 * </ul>
 */
public interface Kernels {

    /** A short name for logs and results files: {@code "scalar"} or {@code "simd-512"} (the vector bit width). */
    String name();

    /** {@code c (m,n) = a (m,k) · b (k,n)}, or {@code c += a·b} when {@code accumulate}. {@code c} must not alias {@code a} or {@code b}. */
    void matmul(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate);

    /** {@code c (m,n) = aᵀ · b} with {@code a (k,m)}, {@code b (k,n)}; {@code c +=} when {@code accumulate}. No transpose is materialised. */
    void matmulTransA(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate);

    /** {@code c (m,n) = a · bᵀ} with {@code a (m,k)}, {@code b (n,k)}; {@code c +=} when {@code accumulate}. */
    void matmulTransB(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate);

    /** {@code out (rows,cols) = x (rows,cols) + bias (cols)} added to every row. */
    void addRowVector(float[] x, float[] bias, float[] out, int rows, int cols);

    /** {@code out (n) = max(x, 0)} elementwise; NaN stays NaN (as {@code tf.nn.relu}) and -0 becomes +0. */
    void relu(float[] x, float[] out, int n);

    /** {@code out (n) = x > 0 ? grad : 0}: ReLU's backward mask, with {@code x} the ReLU's input or output. */
    void reluBackward(float[] x, float[] grad, float[] out, int n);

    /** {@code out (n) = alpha · x}. */
    void scale(float alpha, float[] x, float[] out, int n);

    /** {@code y (n) += alpha · x}. */
    void axpy(float alpha, float[] x, float[] y, int n);

    /** {@code out (n) = a + b} elementwise. */
    void add(float[] a, float[] b, float[] out, int n);

    /** {@code out (n) = a · b} elementwise. */
    void mul(float[] a, float[] b, float[] out, int n);

    /**
     * {@code out (cols) = Σ_rows x (rows,cols)}, summed in row order; {@code out +=} when {@code accumulate}.
     * {@code out} must not alias {@code x}.
     */
    void columnSums(float[] x, float[] out, int rows, int cols, boolean accumulate);

    /** {@code out (rows,cols) = softmax} of each row of {@code x}, stable (the row maximum is subtracted first). */
    void softmaxRows(float[] x, float[] out, int rows, int cols);

    /** {@code out (rows) = argmax} of each row of {@code x (rows,cols)}; the first index on ties. {@code cols >= 1}. */
    void argmaxRows(float[] x, int[] out, int rows, int cols);

    /**
     * One Adam step on {@code n} elements, in Keras' form (tf.keras / Keras 3 {@code Adam.update_step}):
     * <pre>
     * m += (g - m) · (1 - beta1)
     * v += (g² - v) · (1 - beta2)
     * w -= alpha · m / (sqrt(v) + epsilon)      alpha = lr · sqrt(1 - beta2^t) / (1 - beta1^t)
     * </pre>
     * The caller computes {@code alpha} for the step. Every element is independent and evaluated in exactly
     * this order, without fused multiply-adds, so every implementation gives the same bits.
     */
    void adamUpdate(float[] w, float[] g, float[] m, float[] v, int n, float alpha, float beta1, float beta2, float epsilon);

    /**
     * The index of the first NaN or infinity among {@code x (n)}, or -1 when all {@code n} values are
     * finite: the finiteness check of every training step, so it must cost little next to the step.
     */
    int firstNonFinite(float[] x, int n);
}
