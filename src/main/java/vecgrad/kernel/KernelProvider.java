package vecgrad.kernel;

import java.lang.reflect.Constructor;
import java.util.Locale;

/**
 * Chooses the kernels once per JVM: the SIMD kernels when {@code jdk.incubator.vector} is in the boot
 * layer, otherwise {@link ScalarKernels} with one line on standard error that says how to enable SIMD.
 *
 * <p>System properties:
 * <ul>
 *   <li>{@code vecgrad.kernels=auto|scalar|simd} (default {@code auto}): {@code scalar} forces the
 *       reference kernels; {@code simd} fails at startup if SIMD is unavailable.</li>
 *   <li>{@code vecgrad.vectorBits=128|256|512} pins the vector width (default: the CPU's preferred width).
 *       Results are the same at every width (see the contract on {@link Kernels}); {@link Kernels#name()}
 *       records the width for the speed it gives.</li>
 *   <li>{@code vecgrad.threads} sets the number of threads matrix products use ({@link Parallel}).</li>
 * </ul>
 */
public final class KernelProvider {

    /** The name of the SIMD implementation, loaded reflectively so that nothing else links the incubator module. */
    static final String SIMD_CLASS = "vecgrad.kernel.SimdKernels";

    /** The choice, made on first use, once (and its one line on standard error, if any). */
    private static volatile Kernels chosen;

    private KernelProvider() {
    }

    /** The kernels this JVM uses. */
    public static Kernels get() {
        Kernels k = chosen;
        if (k == null) {
            synchronized (KernelProvider.class) {
                k = chosen;
                if (k == null) {
                    // Throws IllegalArgumentException on a bad property, on this call and every later one.
                    k = choose(System.getProperty("vecgrad.kernels"), System.getProperty("vecgrad.vectorBits"));
                    chosen = k;
                }
            }
        }
        return k;
    }

    /** Whether the Vector API module is resolved in the boot layer (it is not, on {@code java -jar}, without {@code --add-modules}). */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * A fresh SIMD implementation with the given vector width in bits (0 = preferred), for tests and
     * benchmarks that compare widths. Throws {@link UnsupportedOperationException} when the Vector API
     * module is absent or the width is not supported by this CPU.
     */
    public static Kernels simd(int vectorBits) {
        if (!vectorModulePresent()) {
            throw new UnsupportedOperationException("the SIMD kernels need the jdk.incubator.vector module:"
                    + " run java with --add-modules jdk.incubator.vector");
        }
        try {
            Class<?> cls = Class.forName(SIMD_CLASS);
            Constructor<?> ctor = cls.getDeclaredConstructor(int.class);
            return (Kernels) ctor.newInstance(vectorBits);
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("cannot create " + SIMD_CLASS + ": " + cause, cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new UnsupportedOperationException("cannot load " + SIMD_CLASS + ": " + e, e);
        }
    }

    static Kernels choose(String mode, String bits) {
        String m = mode == null ? "auto" : mode.trim().toLowerCase(Locale.ROOT);
        int width = parseBits(bits);
        switch (m) {
            case "scalar":
                return ScalarKernels.INSTANCE;
            case "simd":
                return simd(width);
            case "auto":
                if (!vectorModulePresent()) {
                    System.err.println("vecgrad: using scalar kernels; for SIMD, run java with"
                            + " --add-modules jdk.incubator.vector");
                    return ScalarKernels.INSTANCE;
                }
                try {
                    return simd(width);
                } catch (UnsupportedOperationException e) {
                    System.err.println("vecgrad: using scalar kernels (" + e.getMessage() + ")");
                    return ScalarKernels.INSTANCE;
                }
            default:
                throw new IllegalArgumentException("vecgrad.kernels must be auto, scalar or simd, got '" + mode + "'");
        }
    }

    private static int parseBits(String bits) {
        if (bits == null || bits.isBlank()) {
            return 0;
        }
        try {
            int b = Integer.parseInt(bits.trim());
            if (b == 128 || b == 256 || b == 512) {
                return b;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("vecgrad.vectorBits must be 128, 256 or 512, got '" + bits + "'");
    }
}
