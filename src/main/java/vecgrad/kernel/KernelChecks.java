package vecgrad.kernel;

/**
 * Argument checks shared by every {@link Kernels} implementation: each throws before any work is done,
 * with a message that names the array, the size the shape needs and the size that came.
 */
public final class KernelChecks {

    private KernelChecks() {
    }

    /** Checks {@code m, k, n >= 0} and that each array holds its matrix. */
    public static void matmul(String variant, float[] a, long aNeeds, float[] b, long bNeeds, float[] c,
                              int m, int k, int n) {
        if (m < 0 || k < 0 || n < 0) {
            throw new IllegalArgumentException(variant + ": dimensions must be >= 0, got m=" + m + ", k=" + k + ", n=" + n);
        }
        array(variant, "a", a, aNeeds);
        array(variant, "b", b, bNeeds);
        array(variant, "c", c, (long) m * n);
        if (c == a || c == b) {
            throw new IllegalArgumentException(variant + ": the output c must not be an input array");
        }
    }

    /** Checks {@code n >= 0} and that the array holds at least {@code needs} elements. */
    public static void array(String kernel, String name, float[] x, long needs) {
        if (x == null) {
            throw new NullPointerException(kernel + ": array " + name + " is null");
        }
        if (needs < 0) {
            throw new IllegalArgumentException(kernel + ": sizes must be >= 0, got " + needs + " for " + name);
        }
        if (x.length < needs) {
            throw new IllegalArgumentException(kernel + ": array " + name + " needs " + needs
                    + " elements for the shape given, has " + x.length);
        }
    }

    /** The arguments of {@link Kernels#unsignedBytesToFloats}: both arrays hold n >= 0 elements from their offsets. */
    static void unsignedBytesToFloats(byte[] src, int srcOff, float[] dst, int dstOff, int n) {
        if (src == null || dst == null) {
            throw new NullPointerException("unsignedBytesToFloats: array " + (src == null ? "src" : "dst") + " is null");
        }
        span("src", src.length, srcOff, n);
        span("dst", dst.length, dstOff, n);
    }

    private static void span(String name, int length, int off, int n) {
        if (n < 0 || off < 0) {
            throw new IllegalArgumentException("unsignedBytesToFloats: expected an offset and a count >= 0, got offset "
                    + off + " and count " + n + " for " + name);
        }
        if ((long) off + n > length) {
            throw new IllegalArgumentException("unsignedBytesToFloats: array " + name + " needs " + ((long) off + n)
                    + " elements for offset " + off + " and count " + n + ", has " + length);
        }
    }

    /** Checks that the output array is not the input array, for kernels that read the input after writing the output. */
    public static void distinct(String kernel, String outName, float[] out, String inName, float[] in) {
        if (out == in) {
            throw new IllegalArgumentException(kernel + ": the output " + outName + " must not be the input " + inName);
        }
    }

    /** Checks the arguments of {@link Kernels#addRowVector}. */
    static void addRowVector(float[] x, float[] bias, float[] out, int rows, int cols) {
        dims("addRowVector", rows, cols);
        array("addRowVector", "x", x, (long) rows * cols);
        array("addRowVector", "bias", bias, cols);
        array("addRowVector", "out", out, (long) rows * cols);
    }

    /** Checks the arguments of {@link Kernels#columnSums}. */
    static void columnSums(float[] x, float[] out, int rows, int cols) {
        dims("columnSums", rows, cols);
        array("columnSums", "x", x, (long) rows * cols);
        array("columnSums", "out", out, cols);
        distinct("columnSums", "out", out, "x", x);
    }

    /** As {@link #array}, but {@code null} is allowed: an optional optimizer slot that is off. */
    static void optionalArray(String kernel, String name, float[] x, long needs) {
        if (x != null) {
            array(kernel, name, x, needs);
        }
    }

    /** Checks the weights and gradient of an optimizer update (no varargs: a step allocates nothing). */
    static void update(String kernel, float[] w, float[] g, int n) {
        array(kernel, "w", w, n);
        array(kernel, "g", g, n);
    }

    /** Checks {@code rows, cols >= 0}. */
    public static void dims(String kernel, int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(kernel + ": dimensions must be >= 0, got rows=" + rows + ", cols=" + cols);
        }
    }
}
