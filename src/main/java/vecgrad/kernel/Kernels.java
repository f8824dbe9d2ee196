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

    /*
     * The optimizer updates below are each one fused pass over a variable: every element is independent
     * and evaluated in exactly the order written, without fused multiply-adds, so every implementation
     * gives the same bits. The caller computes the per-step constants (bias corrections, 1 - beta, ...)
     * in double and rounds each once to float. Each begins with Keras' decoupled weight decay
     * (keras/src/optimizers/base_optimizer.py, _apply_weight_decay), applied only when weightDecay != 0:
     *     w = w - w · weightDecay · lr
     */

    /**
     * One SGD step on {@code n} elements (keras/src/optimizers/sgd.py), after the weight decay:
     * <pre>
     * u == null:  w = w - g · lr
     * otherwise:  u = u · momentum - g · lr
     *             w = w + u                            (plain)
     *             w = w + (u · momentum - g · lr)      (nesterov)
     * </pre>
     * {@code u} is the velocity, {@code null} for plain SGD.
     */
    void sgdUpdate(float[] w, float[] g, float[] u, int n, float lr, float momentum, boolean nesterov,
                   float weightDecay);

    /**
     * One Adam step on {@code n} elements, in Keras' form (keras/src/optimizers/adam.py), after the
     * weight decay:
     * <pre>
     * m = m + (g - m) · oneMinusBeta1
     * v = v + (g² - v) · oneMinusBeta2
     * vHat = max(vHat, v), v = vHat                  (amsgrad only: vHat != null)
     * w = w - (m · alpha) / (sqrt(v) + epsilon)      alpha = lr · sqrt(1 - beta2^t) / (1 - beta1^t)
     * </pre>
     * {@code lr} is used by the weight decay only.
     */
    void adamUpdate(float[] w, float[] g, float[] m, float[] v, float[] vHat, int n, float alpha,
                    float oneMinusBeta1, float oneMinusBeta2, float epsilon, float lr, float weightDecay);

    /**
     * One RMSprop step on {@code n} elements (keras/src/optimizers/rmsprop.py), after the weight decay:
     * <pre>
     * v = rho · v + oneMinusRho · g²
     * centered (a != null):  a = rho · a + oneMinusRho · g;  d = v - a² + epsilon
     * otherwise:             d = v + epsilon
     * step = (lr · g) / sqrt(d)
     * momentum (p != null):  p = momentum · p + step;  w = w - p
     * otherwise:             w = w - step
     * </pre>
     */
    void rmspropUpdate(float[] w, float[] g, float[] v, float[] a, float[] p, int n, float lr, float rho,
                       float oneMinusRho, float momentum, float epsilon, float weightDecay);

    /**
     * One Adagrad step on {@code n} elements (keras/src/optimizers/adagrad.py), after the weight decay:
     * <pre>
     * acc = acc + g²
     * w = w - (lr · g) / sqrt(acc + epsilon)
     * </pre>
     */
    void adagradUpdate(float[] w, float[] g, float[] acc, int n, float lr, float epsilon, float weightDecay);

    /**
     * One Nadam step on {@code n} elements (keras/src/optimizers/nadam.py), after the weight decay:
     * <pre>
     * m = m + (g - m) · oneMinusBeta1
     * v = v + (g² - v) · oneMinusBeta2
     * mHat = (uNext · m) / oneMinusUProductNext + (oneMinusU · g) / oneMinusUProduct
     * vHat = v / oneMinusBeta2Power
     * w = w - (mHat · lr) / (sqrt(vHat) + epsilon)
     * </pre>
     */
    void nadamUpdate(float[] w, float[] g, float[] m, float[] v, int n, float lr, float oneMinusBeta1,
                     float oneMinusBeta2, float uNext, float oneMinusUProductNext, float oneMinusU,
                     float oneMinusUProduct, float oneMinusBeta2Power, float epsilon, float weightDecay);

    /**
     * One Adamax step on {@code n} elements (keras/src/optimizers/adamax.py), after the weight decay:
     * <pre>
     * m = m + (g - m) · oneMinusBeta1
     * u = max(beta2 · u, |g|)
     * w = w - (lr · m) / (oneMinusBeta1Power · (u + epsilon))
     * </pre>
     */
    void adamaxUpdate(float[] w, float[] g, float[] m, float[] u, int n, float lr, float oneMinusBeta1,
                      float beta2, float oneMinusBeta1Power, float epsilon, float weightDecay);

    /**
     * The index of the first NaN or infinity among {@code x (n)}, or -1 when all {@code n} values are
     * finite: the finiteness check of every training step, so it must cost little next to the step.
     */
    int firstNonFinite(float[] x, int n);

    /**
     * {@code dst[dstOff + i] = (src[srcOff + i] & 0xFF) / divisor} for {@code i < n}: unsigned bytes
     * (an IDX image's pixels) to floats, each an int-to-float conversion and one IEEE division, so
     * {@code divisor = 255} gives exactly {@code p / 255f}. Run for every row of every batch.
     */
    void unsignedBytesToFloats(byte[] src, int srcOff, float[] dst, int dstOff, int n, float divisor);

    /**
     * Max pooling forward on NHWC images: {@link Pooling#maxPool}'s contract and results, bit for bit.
     *
     * @param x the images {@code (n,h,w,c)}
     * @param y the maxima {@code (n,oh,ow,c)}; every element is written
     * @param argmax for each output, {@code Float.intBitsToFloat(index in x)}; every element is written
     * @param g the window's geometry; {@code dh} and {@code dw} must be 1
     * @throws IllegalArgumentException as {@link Pooling#maxPool}
     */
    default void maxPool(float[] x, float[] y, float[] argmax, Im2col.Geometry g) {
        Pooling.maxPool(x, y, argmax, g);
    }
}
