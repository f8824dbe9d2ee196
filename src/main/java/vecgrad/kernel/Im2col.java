package vecgrad.kernel;

/**
 * The unfolding that turns a 2-D convolution into one matrix product (Caffe's {@code im2col}), and
 * its adjoint {@code col2im}, for NHWC images and kernels stored as Keras stores them,
 * {@code (kh, kw, in, out)}.
 *
 * <p>With {@code x (n,h,w,c)} and a kernel read as a matrix {@code (kh·kw·c, f)}, the convolution is
 * {@code y (n·oh·ow, f) = cols (n·oh·ow, kh·kw·c) · kernel}, where row {@code (b,i,j)} of
 * {@code cols} holds the patch under output pixel {@code (i,j)} of image {@code b}, in the kernel's
 * order {@code (p, q, ch)}:
 * <pre>
 * cols[(b,i,j), (p,q,ch)] = x[b, i·sh − padTop + p·dh, j·sw − padLeft + q·dw, ch]   (0 outside the image)
 * </pre>
 * These are copies and additions only, the same code behind the scalar and the SIMD kernels (there
 * is nothing to vectorise differently), so they are their own scalar twin; they run on the calling
 * thread, so their results do not depend on the thread count either.
 */
public final class Im2col {

    /*
     * col2im is the transpose of im2col: each element of dcols is added to the input cell it was
     * copied from. The additions into one cell of dx happen in the order of the rows (b,i,j) and then
     * of the kernel positions (p,q): a fixed order, so the sums are the same bits on every run.
     * Each (p,q) slice of a row is c contiguous floats in both arrays, so the inner loops stream.
     */

    private Im2col() {
    }

    /**
     * {@code x (n,h,w,c) -> cols (n·oh·ow, kh·kw·c)}: the patch under each output pixel, zeros where
     * it reaches into the padding.
     *
     * @param x the images {@code (n,h,w,c)}, row-major
     * @param cols the output {@code (n·oh·ow, kh·kw·c)}; every element is written
     * @param g the convolution's geometry
     * @throws IllegalArgumentException if an array is shorter than its shape needs
     */
    public static void im2col(float[] x, float[] cols, Geometry g) {
        KernelChecks.array("im2col", "x", x, g.inputSize());
        KernelChecks.array("im2col", "cols", cols, g.colsSize());
        KernelChecks.distinct("im2col", "cols", cols, "x", x);
        int c = g.c;
        int rowLength = g.kh * g.kw * c;
        int r = 0;
        for (int b = 0; b < g.n; b++) {
            int xb = b * g.h * g.w * c;
            for (int i = 0; i < g.oh; i++) {
                for (int j = 0; j < g.ow; j++, r++) {
                    int at = r * rowLength;
                    for (int p = 0; p < g.kh; p++) {
                        int hi = i * g.sh - g.padTop + p * g.dh;
                        for (int q = 0; q < g.kw; q++, at += c) {
                            int wi = j * g.sw - g.padLeft + q * g.dw;
                            if (hi < 0 || hi >= g.h || wi < 0 || wi >= g.w) {
                                java.util.Arrays.fill(cols, at, at + c, 0f);
                            } else {
                                System.arraycopy(x, xb + (hi * g.w + wi) * c, cols, at, c);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code dcols (n·oh·ow, kh·kw·c) -> dx (n,h,w,c)}, the adjoint of {@link #im2col}: every element
     * of {@code dcols} added into the input cell it came from; cells no patch covers get 0.
     *
     * @param dcols the gradient of the unfolded patches {@code (n·oh·ow, kh·kw·c)}
     * @param dx the output {@code (n,h,w,c)}; every element is written
     * @param g the convolution's geometry
     * @throws IllegalArgumentException if an array is shorter than its shape needs, or they are the same array
     */
    public static void col2im(float[] dcols, float[] dx, Geometry g) {
        KernelChecks.array("col2im", "dcols", dcols, g.colsSize());
        KernelChecks.array("col2im", "dx", dx, g.inputSize());
        KernelChecks.distinct("col2im", "dx", dx, "dcols", dcols);
        int c = g.c;
        int rowLength = g.kh * g.kw * c;
        java.util.Arrays.fill(dx, 0, (int) g.inputSize(), 0f);
        int r = 0;
        for (int b = 0; b < g.n; b++) {
            int xb = b * g.h * g.w * c;
            for (int i = 0; i < g.oh; i++) {
                for (int j = 0; j < g.ow; j++, r++) {
                    int at = r * rowLength;
                    for (int p = 0; p < g.kh; p++) {
                        int hi = i * g.sh - g.padTop + p * g.dh;
                        for (int q = 0; q < g.kw; q++, at += c) {
                            int wi = j * g.sw - g.padLeft + q * g.dw;
                            if (hi >= 0 && hi < g.h && wi >= 0 && wi < g.w) {
                                int to = xb + (hi * g.w + wi) * c;
                                for (int ch = 0; ch < c; ch++) {
                                    dx[to + ch] += dcols[at + ch];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The shapes of one 2-D convolution or pooling window: input {@code (n,h,w,c)}, window
     * {@code (kh,kw)}, strides, dilation, the padding before the first row and column, and the output
     * size {@code (oh,ow)}. The caller works the padding and output size out (the autodiff ops do, as
     * TensorFlow); this record only checks that they are consistent.
     *
     * @param n images
     * @param h input rows
     * @param w input columns
     * @param c channels
     * @param kh window rows
     * @param kw window columns
     * @param sh stride down
     * @param sw stride across
     * @param dh dilation down
     * @param dw dilation across
     * @param padTop zero rows above the image
     * @param padLeft zero columns left of the image
     * @param oh output rows
     * @param ow output columns
     */
    public record Geometry(int n, int h, int w, int c, int kh, int kw, int sh, int sw, int dh, int dw,
                           int padTop, int padLeft, int oh, int ow) {

        /**
         * Checks the values.
         *
         * @throws IllegalArgumentException if a size is negative, a window, stride or dilation below 1,
         *     or an array would exceed a Java array
         */
        public Geometry {
            if (n < 0 || h < 0 || w < 0 || c < 0 || oh < 0 || ow < 0 || padTop < 0 || padLeft < 0) {
                throw new IllegalArgumentException("conv geometry: sizes must be >= 0, got " + this);
            }
            if (kh < 1 || kw < 1 || sh < 1 || sw < 1 || dh < 1 || dw < 1) {
                throw new IllegalArgumentException("conv geometry: window, strides and dilation must be >= 1, got " + this);
            }
            if ((long) n * h * w * c > Integer.MAX_VALUE - 8 || (long) n * oh * ow * kh * kw * c > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("conv geometry: the unfolded patches would exceed a Java array: " + this);
            }
        }

        /** {@return the elements of the input, {@code n·h·w·c}} */
        public long inputSize() {
            return (long) n * h * w * c;
        }

        /** {@return the rows of the unfolded patches, {@code n·oh·ow}} */
        public int colsRows() {
            return n * oh * ow;
        }

        /** {@return the length of one patch, {@code kh·kw·c}} */
        public int colsCols() {
            return kh * kw * c;
        }

        /** {@return the elements of the unfolded patches} */
        public long colsSize() {
            return (long) colsRows() * colsCols();
        }
    }
}
