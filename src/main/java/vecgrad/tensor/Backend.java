package vecgrad.tensor;

import vecgrad.kernel.KernelProvider;
import vecgrad.kernel.Parallel;

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
}
