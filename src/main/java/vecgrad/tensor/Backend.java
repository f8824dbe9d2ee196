package vecgrad.tensor;

import java.time.Duration;
import vecgrad.kernel.KernelProvider;
import vecgrad.kernel.Kernels;
import vecgrad.kernel.Parallel;
import vecgrad.kernel.WarmUp;

/**
 * Which kernels this JVM computes with, and on how many threads: the two settings of vecgrad's
 * compute backend a program may want to show or change.
 *
 * <p>Neither changes a result. The SIMD kernels equal their scalar twins bit for bit at every vector
 * width, and the matrix products split their work so that each output element is computed by one
 * thread in one order, so a seed gives the same weights on 1 thread or 16. They change the speed.
 *
 * <p>The kernels are chosen once per JVM, on first use: SIMD when the {@code jdk.incubator.vector}
 * module is present (on the class path it must be added with {@code --add-modules
 * jdk.incubator.vector}), else the scalar kernels, with one line on standard error saying so. System
 * properties {@code vecgrad.kernels=auto|scalar|simd}, {@code vecgrad.vectorBits=128|256|512} and
 * {@code vecgrad.threads} set the defaults.
 *
 * <p>The SIMD kernels run slowly until the JIT compiler has compiled them, which costs the first
 * training epoch a second or more; {@link #warmUp()} or {@link #warmUpInBackground()} does that work
 * up front, on inputs of its own. A program need not call them: the JVM's first model
 * ({@code new Sequential(...)}) or, before it, {@code Mnist.load} (so that it overlaps the reading)
 * starts the warm-up on a background daemon thread, and {@code fit}
 * waits for it to finish when its work is large (about 10^9 multiply-adds or more), as does a model's
 * first training call ({@code call(x, true)}, a custom loop's first step) when that pass is large
 * (10^7 multiply-adds or more), so that training does not share the cores with it. System property {@code vecgrad.warmUp=off} turns that off ({@code auto}, the
 * default, leaves it on); after an explicit warm-up no automatic one starts.
 */
public final class Backend {

    private Backend() {
    }

    /**
     * The name of the kernels in use, such as {@code simd-512} (SIMD on 512-bit vectors) or
     * {@code scalar}. Chooses them if no computation has yet.
     *
     * @return the kernels' name
     * @throws IllegalArgumentException if {@code vecgrad.kernels} or {@code vecgrad.vectorBits} has a bad
     *     value, or asks for SIMD where it is not available
     */
    public static String kernels() {
        return KernelProvider.get().name();
    }

    /**
     * The number of threads the matrix products use, the calling thread included.
     *
     * @return the thread count, at least 1: {@code vecgrad.threads} if set, else the number of processors
     *     (unless {@link #setThreads} changed it)
     * @throws IllegalArgumentException if {@code vecgrad.threads} is not an integer of at least 1
     */
    public static int threads() {
        return Parallel.threads();
    }

    /**
     * Sets the number of threads the matrix products use, for the whole JVM; 1 computes on the calling
     * thread only. Results do not depend on it.
     *
     * @param threads the thread count, at least 1
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static void setThreads(int threads) {
        Parallel.setThreads(threads);
    }

    /**
     * Warms the kernels up: chooses them (as {@link #kernels()}), then runs every kernel a training
     * step uses (the matrix products, the elementwise ops, softmax, the optimizers' updates, the
     * convolution's unfolding and pooling) a few hundred times on small inputs of its own, so that the JIT compiler
     * compiles them before real work needs them. Until then the SIMD kernels run on a slow generic path,
     * which makes a first epoch one to three seconds slower than the next.
     *
     * <p>It takes about 0.5-1.5 s of one core (less for the scalar kernels, several seconds on a busy
     * machine) and changes no result: it touches no tensor or variable of the program, and the kernels
     * keep no state between calls. It is safe to run on another thread while the program computes (see {@link #warmUpInBackground()}).
     *
     * @return how long it took
     * @throws IllegalArgumentException as {@link #kernels()}, if the kernel properties are bad
     */
    public static Duration warmUp() {
        Kernels chosen = KernelProvider.get();
        long start = System.nanoTime();
        WarmUp.runHere(chosen);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Starts {@link #warmUp()} on a new daemon thread named {@code vecgrad-warm-up} and returns it, for
     * a program to overlap the warm-up with work that does not compute, such as loading its data. The
     * kernels are chosen on the calling thread first, so a bad kernel property fails here, not there.
     * Joining the thread is optional: computing while it runs gives the same results, only slower
     * while both share the cores.
     *
     * @return the started thread
     * @throws IllegalArgumentException as {@link #kernels()}, if the kernel properties are bad
     */
    public static Thread warmUpInBackground() {
        return WarmUp.startThread(KernelProvider.get());
    }
}
