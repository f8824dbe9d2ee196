package vecgrad.kernel;

/**
 * Runs every kernel of a training step on small private inputs, so that the JIT compiler has compiled
 * them before the real work needs them.
 *
 * <p>Only buffers this class allocates are read and written, and the chosen kernels keep no state
 * between calls except per-thread scratch space, so a warm-up changes no result and may run on its
 * own thread beside real work (the matrix products' shared workers serve one caller at a time; the
 * other runs its parts itself).
 */
public final class WarmUp {

    /*
     * Why: until C2 has compiled them, Vector API calls run on a generic path at 0.1-1 GFLOP/s (C1 does
     * not intrinsify them; /work/shared/KERNELS.md, "Pitfalls"), which makes the first epoch 1-3 s
     * slower than the next. C2 compiles a method after about 10^4 invocations or loop back-edges, so a
     * few hundred calls on small inputs suffice: each call runs its inner loops many times.
     *
     * The shapes cover each product's paths: full 6-row micro-tiles and whole vectors (12 x 24 x 64),
     * ragged rows and columns on the scratch tile (7 x 9 x 19), and, every fourth round, a depth over
     * one K block of 512 (6 x 520 x 16), in all three variants and with and without accumulation. They
     * are small because every call before C2's code is ready runs on the slow path: a round costs about
     * 60,000 multiply-adds. Elementwise kernels run
     * on a length that is not a multiple of any vector width, so the vector body and the scalar tail
     * are both compiled. The work is fixed (ROUNDS rounds), not timed, so that it does the same thing on
     * every machine. 200 rounds rather than 600: the warm-up's length is mostly C2's compile latency,
     * and with 200 a cold fit's wait plus its epoch 1 was 0.06-0.23 s shorter in each of 4 alternated
     * pairs (bench/RESULTS.md, "Session 5"). The products' loops still run far past C2's thresholds;
     * an elementwise kernel's about 50,000 times at 256 bits (25,000 at 512, where the real work
     * finishes its compilation within the first steps).
     */

    private static final int ROUNDS = 200;
    /** The name of every warm-up thread. */
    public static final String THREAD_NAME = "vecgrad-warm-up";
    /** The system property that turns the automatic warm-up off: {@code auto} (the default) or {@code off}. */
    public static final String PROPERTY = "vecgrad.warmUp";

    private static final Object LOCK = new Object();
    /** Set once a warm-up has been started or run in this JVM, automatically or on request. */
    private static boolean started;
    /** The automatic warm-up's thread, or null if none was started. */
    private static Thread automatic;
    /** Where the checksums go, so that the JIT cannot discard the work as unused. */
    private static volatile double sink;
    private static final int[][] SHAPES = {{12, 24, 64}, {7, 9, 19}, {6, 520, 16}};
    private static final int ROWS = 32;
    private static final int COLS = 61;

    private WarmUp() {
    }

    /**
     * Runs each kernel of {@code kernels} used by a training step (products, elementwise, softmax,
     * argmax, the optimizers' updates, the finiteness check) and the convolution's unfolding 200
     * times on small inputs of its own.
     *
     * @param kernels the kernels to warm (normally {@link KernelProvider#get()})
     * @return a checksum of the outputs, so that the JIT cannot discard the work
     * @throws NullPointerException if {@code kernels} is null
     */
    public static double run(Kernels kernels) {
        if (kernels == null) {
            throw new NullPointerException("WarmUp.run: expected the kernels to warm, got null");
        }
        int maxC = 0;
        int maxA = 0;
        int maxB = 0;
        for (int[] s : SHAPES) {
            maxA = Math.max(maxA, s[0] * s[1]);
            maxB = Math.max(maxB, s[1] * s[2]);
            maxC = Math.max(maxC, Math.max(s[0] * s[2], s[1] * s[2]));
        }
        float[] a = filled(Math.max(maxA, maxB), 0.25f);
        float[] b = filled(Math.max(maxA, maxB), -0.5f);
        float[] c = new float[Math.max(maxC, maxA)];

        int n = ROWS * COLS;
        float[] x = filled(n, 0.5f);
        float[] y = filled(n, -0.25f);
        float[] out = new float[n];
        float[] bias = filled(COLS, 0.125f);
        float[] sums = new float[COLS];
        int[] argmax = new int[ROWS];
        float[] w = filled(n, 0.1f);
        float[] m = new float[n];
        float[] v = new float[n];
        float[] u = new float[n];
        byte[] pixels = new byte[n];
        for (int i = 0; i < n; i++) {
            pixels[i] = (byte) (i * 37);
        }

        Im2col.Geometry g = new Im2col.Geometry(2, 8, 8, 3, 3, 3, 1, 1, 1, 1, 0, 0, 6, 6);
        float[] image = filled(g.n() * g.h() * g.w() * g.c(), 0.5f);
        float[] cols = new float[(int) g.colsSize()];
        float[] dImage = new float[(int) g.inputSize()];

        Im2col.Geometry pool = new Im2col.Geometry(2, 8, 8, 3, 2, 2, 2, 2, 1, 1, 0, 0, 4, 4);
        float[] pooled = new float[2 * 4 * 4 * 3];
        float[] poolArgmax = new float[pooled.length];
        float[] dPooled = new float[(int) pool.inputSize()];

        double check = 0;
        for (int r = 0; r < ROUNDS; r++) {
            boolean acc = (r & 1) == 1;
            for (int i = 0; i < SHAPES.length; i++) {
                int[] s = SHAPES[i];
                if (i == SHAPES.length - 1 && (r & 3) != 0) {
                    continue;
                }
                kernels.matmul(a, b, c, s[0], s[1], s[2], acc);
                kernels.matmulTransA(a, b, c, s[1], s[0], s[2], acc);
                kernels.matmulTransB(a, b, c, s[0], s[1], s[2], acc);
            }
            kernels.addRowVector(x, bias, out, ROWS, COLS);
            kernels.relu(y, out, n);
            kernels.reluBackward(y, x, out, n);
            kernels.scale(0.5f, x, out, n);
            kernels.axpy(0.5f, x, out, n);
            kernels.add(x, y, out, n);
            kernels.mul(x, y, out, n);
            kernels.columnSums(x, sums, ROWS, COLS, acc);
            kernels.softmaxRows(x, out, ROWS, COLS);
            kernels.argmaxRows(out, argmax, ROWS, COLS);
            kernels.adamUpdate(w, y, m, v, null, n, 1e-3f, 0.1f, 0.001f, 1e-7f, 1e-3f, 0f);
            kernels.sgdUpdate(w, y, null, n, 1e-3f, 0f, false, 0f);
            kernels.rmspropUpdate(w, y, v, null, null, n, 1e-3f, 0.9f, 0.1f, 0f, 1e-7f, 0f);
            kernels.adagradUpdate(w, y, u, n, 1e-3f, 1e-7f, 0f);
            check += kernels.firstNonFinite(w, n);
            kernels.unsignedBytesToFloats(pixels, 0, out, 0, n, 255f);     // a batch's pixels
            Im2col.im2col(image, cols, g);
            Im2col.col2im(cols, dImage, g);
            kernels.maxPool(image, pooled, poolArgmax, pool);
            Pooling.maxPoolBackward(pooled, poolArgmax, dPooled, pool);
            check += c[r % c.length] + out[r % n] + sums[r % COLS] + argmax[r % ROWS] + w[r % n]
                    + dImage[r % dImage.length] + dPooled[r % dPooled.length];
        }
        return check;
    }

    /**
     * Runs {@link #run} once on the calling thread and notes that this JVM has been warmed, so that no
     * automatic warm-up starts after it.
     *
     * @param kernels the kernels to warm
     * @throws NullPointerException if {@code kernels} is null
     */
    public static void runHere(Kernels kernels) {
        synchronized (LOCK) {
            started = true;
        }
        sink = run(kernels);
    }

    /**
     * Starts {@link #run} on a new daemon thread named {@value #THREAD_NAME} and returns it, noting that
     * this JVM has been warmed.
     *
     * @param kernels the kernels to warm
     * @return the started thread
     * @throws NullPointerException if {@code kernels} is null
     */
    public static Thread startThread(Kernels kernels) {
        if (kernels == null) {
            throw new NullPointerException("WarmUp.startThread: expected the kernels to warm, got null");
        }
        Thread thread = daemon(() -> sink = run(kernels));
        synchronized (LOCK) {
            started = true;
        }
        thread.start();
        return thread;
    }

    private static Thread daemon(Runnable body) {
        Thread thread = new Thread(body, THREAD_NAME);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * The automatic warm-up, which every new model asks for: starts it in the background unless one was
     * started or run before in this JVM or {@value #PROPERTY} is {@code off}. A bad kernel property is
     * left for the first computation to report.
     *
     * @return whether this call started it
     * @throws IllegalArgumentException if {@value #PROPERTY} is neither {@code auto} nor {@code off}
     */
    public static boolean startAutomatic() {
        if (!automaticEnabled()) {
            return false;
        }
        synchronized (LOCK) {
            if (started) {
                return false;
            }
        }
        Kernels kernels;
        try {
            kernels = KernelProvider.get();
        } catch (IllegalArgumentException e) {
            return false; // a bad vecgrad.kernels or vecgrad.vectorBits: the first computation says so
        }
        Thread thread = daemon(() -> {
            try {
                sink = run(kernels);
            } catch (RuntimeException | Error e) {
                // Nobody asked for this warm-up: a failure (a tiny heap, say) must not print a stack
                // trace into the program's output. The real computation meets any real problem itself.
            }
        });
        synchronized (LOCK) {
            if (started) {
                return false;
            }
            started = true;
            automatic = thread;
        }
        thread.start();
        return true;
    }

    /**
     * Whether {@value #PROPERTY} allows the automatic warm-up.
     *
     * @return false if it is {@code off}, true if it is {@code auto} or not set
     * @throws IllegalArgumentException if it is anything else
     */
    public static boolean automaticEnabled() {
        String setting = System.getProperty(PROPERTY, "auto");
        if (!setting.equals("auto") && !setting.equals("off")) {
            throw new IllegalArgumentException(PROPERTY + ": expected auto or off, got '" + setting + "'");
        }
        return setting.equals("auto");
    }

    /**
     * Waits until the automatic warm-up, if one was started, has finished. An interrupt ends the wait
     * early and stays set on the thread.
     *
     * @return the nanoseconds waited, 0 if there was nothing to wait for
     */
    public static long awaitAutomatic() {
        Thread thread;
        synchronized (LOCK) {
            thread = automatic;
        }
        if (thread == null || !thread.isAlive()) {
            return 0;
        }
        long start = System.nanoTime();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return System.nanoTime() - start;
    }

    private static float[] filled(int n, float start) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = start + (i % 7) * 0.01f;
        }
        return f;
    }
}
